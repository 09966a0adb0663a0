import Foundation
import Testing
@testable import SQLiteStore
@testable import Lake
@testable import HomeBaseCLI
@testable import TestSupport

/// The SHA-256 per part that ingest records in the catalog: Python's hashlib and sqlite3 are the
/// oracle that it is the file's real digest; one changed byte is then named by `doctor --deep`
/// and refused by `backup create`.
@Suite(.serialized) struct PartChecksumTests {
    @Test func recordedAtIngestCheckedByDoctorDeepAndBeforeABackup() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(Lines.session)
        _ = try fixture.ingest()
        let oracle = try PythonOracle.run(
            """
            import sys, sqlite3, hashlib
            data = sys.argv[1]
            con = sqlite3.connect(f'file:{data}/catalog.sqlite?mode=ro', uri=True)
            rows = con.execute("SELECT c.path, c.sha256 FROM part_checksums c JOIN parts p ON p.path = c.path WHERE p.removed_snapshot IS NULL").fetchall()
            same = all(hashlib.sha256(open(f'{data}/{path}', 'rb').read()).hexdigest() == digest for path, digest in rows)
            live = con.execute("SELECT count(*) FROM parts WHERE removed_snapshot IS NULL").fetchone()[0]
            print(len(rows), live, same)
            """, [fixture.dataDir])
        let fields = oracle.split(whereSeparator: \.isWhitespace)
        #expect(fields.count == 3 && fields[0] == fields[1] && fields[2] == "True" && (Int(fields[0]) ?? 0) > 0, "\(oracle)")

        let doctor = ["--data", fixture.dataDir, "--openclaw", fixture.stateDir, "--deep"]
        let before = HostileFixture.run(DoctorCommand(), doctor)
        #expect(before.out.contains("ok   parts: \(fields[0]) match the SHA-256 recorded when they were written"), "\(before)")

        // One byte changed in the requests part: named by doctor --deep and by backup create.
        let catalog = try Catalog(dataDir: fixture.dataDir, readOnly: true)
        let part = try #require(try catalog.liveParts(table: "requests").first).path
        let file = fixture.dataDir + "/" + part
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let after = HostileFixture.run(DoctorCommand(), doctor)
        #expect(after.code == .failure, "\(after)")
        #expect(after.out.contains("fail part \(part): SHA-256 "), "\(after)")
        #expect(after.out.contains("but the catalog recorded"), "\(after)")
        let backup = HostileFixture.run(
            BackupCommand(now: { 1_800_000_000_000_000 }), ["create", "--data", fixture.dataDir, "--to", fixture.dir.path + "/backups"])
        #expect(backup.code == .failure, "\(backup)")
        #expect(backup.err.contains("not backed up: \(part): SHA-256"), "\(backup)")
    }
}
