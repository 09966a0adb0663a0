import Foundation
import Testing
@testable import SQLiteStore
@testable import Backup
@testable import TestSupport

/// Hostile archives built with Python's tarfile (a valid manifest first, then the bad entry) are
/// refused with a clear reason, nothing lands outside the target, and the target is removed.
@Suite struct BackupMaliciousTests {
    static let name = "homebase-backup-20270115T080000Z.tar.gz"

    /// Python: writes an archive for `case` into `backups/<name>` with a manifest listing
    /// catalog.sqlite (its real hash) plus `listed` extra paths.
    static let builder = """
        import sys, tarfile, io, json, hashlib, os
        out, case, name = sys.argv[1], sys.argv[2], sys.argv[3]
        listed = sys.argv[4:]
        catalog = b'not really sqlite'
        files = [{'path': 'catalog.sqlite', 'size': len(catalog), 'sha256': hashlib.sha256(catalog).hexdigest(), 'archive': name}]
        for p in listed:
            files.append({'path': p, 'size': 1, 'sha256': hashlib.sha256(b'x').hexdigest(), 'archive': name})
        manifest = json.dumps({'format': 'homebase-backup/1', 'archive': name, 'created_us': 1, 'files': files}).encode()
        def reg(t, path, data):
            i = tarfile.TarInfo(path); i.size = len(data); t.addfile(i, io.BytesIO(data))
        def special(t, path, kind, link=''):
            i = tarfile.TarInfo(path); i.type = kind; i.linkname = link; t.addfile(i)
        with tarfile.open(out, 'w:gz', format=tarfile.PAX_FORMAT) as t:
            if case != 'no-manifest':
                reg(t, 'MANIFEST.json', manifest)
            reg(t, 'catalog.sqlite', catalog)
            if case == 'dotdot': reg(t, '../evil', b'x')
            if case == 'nested-dotdot': reg(t, 'tables/../../evil', b'x')
            if case == 'absolute': reg(t, out + '.abs-evil', b'x')
            if case == 'pax-dotdot': reg(t, '../' + 'e' * 120, b'x')
            if case == 'symlink': special(t, 'tables/link', tarfile.SYMTYPE, '/etc')
            if case == 'symlink-child':
                special(t, 'tables', tarfile.SYMTYPE, '..'); reg(t, 'tables/evil', b'x')
            if case == 'hardlink': special(t, 'tables/hard', tarfile.LNKTYPE, '/etc/passwd')
            if case == 'chardev': special(t, 'tables/dev', tarfile.CHRTYPE)
            if case == 'fifo': special(t, 'tables/fifo', tarfile.FIFOTYPE)
            if case == 'unlisted': reg(t, 'tables/extra.parquet', b'x')
            if case == 'duplicate': reg(t, 'catalog.sqlite', catalog)
            if case == 'wrong-size': reg(t, 'tables/a.parquet', b'xx')
            if case == 'unsafe-manifest': pass
        """

    static let cases: [(String, [String], String)] = [
        ("dotdot", [], "'..' component"),
        ("nested-dotdot", [], "'..' component"),
        ("absolute", [], "absolute path"),
        ("pax-dotdot", [], "'..' component"),
        ("symlink", ["tables/link"], "symbolic link to '/etc'"),
        ("symlink-child", ["tables", "tables/evil"], "symbolic link to '..'"),
        ("hardlink", ["tables/hard"], "hard link to '/etc/passwd'"),
        ("chardev", ["tables/dev"], "character device"),
        ("fifo", ["tables/fifo"], "FIFO"),
        ("unlisted", [], "not listed in the manifest"),
        ("duplicate", [], "appears twice"),
        ("wrong-size", ["tables/a.parquet"], "2 bytes, the manifest says 1"),
        ("unsafe-manifest", ["../../escape"], "manifest lists an unsafe path '../../escape'"),
        ("no-manifest", [], "does not start with MANIFEST.json")
    ]

    @Test(arguments: cases.map(\.0))
    func refused(_ label: String) throws {
        let (_, listed, reason) = try #require(Self.cases.first { $0.0 == label })
        let dir = TemporaryDirectory("homebase-evil")
        defer { dir.remove() }
        let backups = dir.file("backups")
        try FileManager.default.createDirectory(atPath: backups + "/deep", withIntermediateDirectories: true)
        let archive = backups + "/" + Self.name
        _ = try PythonOracle.run(Self.builder, [archive, label, Self.name] + listed)
        _ = FileManager.default.createFile(
            atPath: archive + ".sha256", contents: Data("\(try BackupVerifier.fileDigest(archive))  \(Self.name)\n".utf8))
        let target = backups + "/deep/target"
        do {
            _ = try BackupRestorer.restore(RestoreOptions(backupDir: backups, archive: Self.name, target: target))
            Issue.record("\(label) was restored")
        } catch let error as BackupError {
            #expect(error.description.contains(reason), "\(error)")
            if !["unsafe-manifest", "no-manifest"].contains(label) { #expect(error.description.contains("refused"), "\(error)") }
        }
        #expect(!FileManager.default.fileExists(atPath: target))
        // Nothing escaped: the only files are the archive, its sidecar and the empty `deep` dir.
        let everything = FileManager.default.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []
        #expect(Set(everything) == ["backups", "backups/deep", "backups/\(Self.name)", "backups/\(Self.name).sha256"])
        // verify refuses it for the same reason, and exits 1.
        let report = BackupVerifier.verify(archivePath: archive, nowMicros: 0)
        #expect(report.problems.joined().contains(reason), "\(report.problems)")
    }
}
