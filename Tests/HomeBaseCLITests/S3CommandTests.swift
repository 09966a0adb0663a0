import Foundation
import Testing
@testable import SQLiteStore
@testable import Config
@testable import ObjectStore
@testable import Backup
@testable import Pipeline
@testable import HomeBaseCLI
@testable import TestSupport

/// Issue 22 through the real commands against moto on 127.0.0.1 (signature checking on), with
/// boto3 as the independent reader: `backup create → list → verify → restore → prune` with
/// s3:// URLs, a corrupted remote archive, an interrupted upload, a wrong secret, `lake push`
/// read back by pyarrow's own S3 client, and every unsupported scheme refused with exit 2.
@Suite(.serialized) struct S3CommandTests {
    static let day: Int64 = 86_400_000_000
    static let start: Int64 = 1_800_000_000_000_000

    static func backup(_ arguments: [String], at micros: Int64, secret: String? = nil) throws -> (ExitCode, String) {
        let console = Console.capturing()
        let command = BackupCommand(now: { micros }, environment: try MotoS3.environment(secret: secret))
        do {
            let code = try command.run(arguments, console: console)
            return (code, console.capturedOut + console.capturedErr)
        } catch {
            return (error is UsageError ? .usage : .failure, console.capturedOut + console.capturedErr + "\(error)")
        }
    }

    /// Keys under a prefix, as boto3 lists them.
    static func keys(_ bucket: String, _ prefix: String) throws -> [String] {
        try MotoS3.check(
            """
            r = s3.list_objects_v2(Bucket=sys.argv[1], Prefix=sys.argv[2])
            for o in r.get("Contents", []): print(o["Key"])
            """, [bucket, prefix]
        ).split(separator: "\n").map(String.init).sorted()
    }

    static func lake() throws -> IngestFixture {
        let fixture = IngestFixture()
        try fixture.write(Lines.session + Lines.tornStart + "\n")
        _ = try fixture.ingest(clock: start)
        return fixture
    }

    @Test func createListVerifyRestorePrune() throws {
        let fixture = try Self.lake()
        defer { fixture.remove() }
        let data = fixture.dataDir
        let url = "s3://hb-backup/cli"
        let secret = try MotoS3.server().secret
        var outputs: [String] = []

        let first = try Self.backup(["create", "--data", data, "--to", url], at: Self.start + Self.day)
        outputs.append(first.1)
        #expect(
            first.0 == .success && first.1.contains("backup s3://hb-backup/cli/homebase-backup-20270116T") && first.1.contains("uploaded"), "\(first)"
        )
        let name = try #require(
            try BackupStore(directory: RemoteBackups.cacheDirectory(dataDir: data, location: S3Location(bucket: "hb-backup", prefix: "cli"))).list()
                .first?.name)
        // boto3 sees the archive, its manifest, and the marker whose digest is the archive's SHA-256.
        let keys = try Self.keys("hb-backup", "cli/")
        #expect(keys == ["cli/\(name)", "cli/\(name).manifest.json", "cli/\(name).sha256"], "\(keys)")
        let digests = try MotoS3.check(
            """
            body = s3.get_object(Bucket="hb-backup", Key="cli/" + sys.argv[1])["Body"].read()
            marker = s3.get_object(Bucket="hb-backup", Key="cli/" + sys.argv[1] + ".sha256")["Body"].read().decode()
            print(hashlib.sha256(body).hexdigest(), marker.split()[0], marker.split()[1])
            """, [name]
        ).split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(digests.count == 3 && digests[0] == digests[1] && digests[2] == name, "\(digests)")

        let listed = try Self.backup(["list", "--from", url, "--data", data], at: 0)
        outputs.append(listed.1)
        #expect(listed.1.contains(name) && listed.1.contains("not verified"), "\(listed)")
        let verified = try Self.backup(["verify", "--from", url, "--data", data], at: Self.start + Self.day)
        outputs.append(verified.1)
        #expect(verified.0 == .success && verified.1.contains("ok s3://hb-backup/cli/\(name)"), "\(verified)")
        #expect(try Self.backup(["list", "--backups", url, "--data", data], at: 0).1.contains("verified 2027-01-16T"))

        // Restore on a "new machine": another cache, same bucket; byte-identical rows by DuckDB.
        let fresh = fixture.dir.path + "/machine2"
        let restoredDir = fixture.dir.path + "/restored"
        let restored = try Self.backup(["restore", name, "--from", url, "--data", fresh, "--to", restoredDir], at: Self.start + Self.day)
        outputs.append(restored.1)
        #expect(restored.0 == .success, "\(restored)")
        #expect(try BackupFixture.duckRows(dataDir: restoredDir) == BackupFixture.duckRows(dataDir: data))
        #expect(
            FileManager.default.contents(atPath: restoredDir + "/catalog.sqlite") != nil
                && FileManager.default.fileExists(atPath: fresh + "/.backup-cache/hb-backup/cli/" + name))

        // A second backup references the first; a third is full; prune keeps one day's newest.
        let second = try Self.backup(["create", "--data", data, "--to", url], at: Self.start + 2 * Self.day)
        #expect(second.1.contains("(1 stored, "), "\(second)")
        let third = try Self.backup(["create", "--full", "--data", data, "--to", url], at: Self.start + 3 * Self.day)
        #expect(third.0 == .success && third.1.contains("0 referenced"), "\(third)")
        #expect(try Self.backup(["verify", "--all", "--from", url, "--data", data], at: Self.start + 3 * Self.day).0 == .success)
        let names = try RemoteBackups(
            store: try S3Store(location: S3Location(bucket: "hb-backup", prefix: "cli"), settings: nil, environment: try MotoS3.environment()),
            cacheDirectory: fixture.dir.path + "/unused"
        ).list().map(\.name)
        #expect(names.count == 3 && names[0] == name)
        let dry = try Self.backup(["prune", "--keep-daily", "1", "--from", url, "--data", data, "--dry-run"], at: Self.start + 4 * Self.day)
        #expect(dry.1.contains("would delete \(names[0])") && dry.1.contains("would delete \(names[1])"), "\(dry)")
        #expect(try Self.keys("hb-backup", "cli/").count == 3 * 4)  // archive, manifest, verified, marker each
        let pruned = try Self.backup(["prune", "--keep-daily", "1", "--from", url, "--data", data], at: Self.start + 4 * Self.day)
        outputs.append(pruned.1)
        #expect(pruned.1.contains("delete \(names[0])") && pruned.1.contains("delete \(names[1])"), "\(pruned)")
        let left = try Self.keys("hb-backup", "cli/")
        #expect(left == ["cli/\(names[2])", "cli/\(names[2]).manifest.json", "cli/\(names[2]).sha256", "cli/\(names[2]).verified"], "\(left)")
        for output in outputs { #expect(!output.contains(secret)) }
    }

    @Test func corruptedRemoteArchiveFailsVerifyNamingTheKey() throws {
        let fixture = try Self.lake()
        defer { fixture.remove() }
        let url = "s3://hb-backup/corrupt"
        let created = try Self.backup(["create", "--data", fixture.dataDir, "--to", url], at: Self.start)
        #expect(created.0 == .success, "\(created)")
        let name = try #require(try Self.keys("hb-backup", "corrupt/").first { $0.hasSuffix(".tar.gz") })
        // Same size, one byte flipped, written behind our back by boto3.
        _ = try MotoS3.check(
            """
            body = bytearray(s3.get_object(Bucket="hb-backup", Key=sys.argv[1])["Body"].read())
            body[len(body) // 2] ^= 0xFF
            s3.put_object(Bucket="hb-backup", Key=sys.argv[1], Body=bytes(body))
            """, [name])
        let verify = try Self.backup(["verify", "--from", url, "--data", fixture.dataDir], at: Self.start)
        #expect(
            verify.0 == .failure && verify.1.contains("FAILED s3://hb-backup/\(name)") && verify.1.contains("s3://hb-backup/\(name)"), "\(verify)")
        #expect(verify.1.contains("damaged"), "\(verify)")
    }

    @Test func interruptedUploadIsNotListedAndIsPushedByTheNextCreate() throws {
        let fixture = try Self.lake()
        defer { fixture.remove() }
        let url = "s3://hb-backup/interrupted"
        #expect(try Self.backup(["create", "--data", fixture.dataDir, "--to", url], at: Self.start).0 == .success)
        let name = try #require(try Self.keys("hb-backup", "interrupted/").first { $0.hasSuffix(".tar.gz") })
        // As if the upload died before the marker: delete it.
        _ = try MotoS3.check("s3.delete_object(Bucket='hb-backup', Key=sys.argv[1] + '.sha256')", [name])
        let listed = try Self.backup(["list", "--from", url, "--data", fixture.dataDir], at: 0)
        #expect(listed.0 == .success && listed.1.contains("no backups"), "\(listed)")
        // The next create uploads the new archive and the cached one whose marker is missing.
        let next = try Self.backup(["create", "--data", fixture.dataDir, "--to", url], at: Self.start + Self.day)
        let bare = (name as NSString).lastPathComponent
        #expect(next.0 == .success && next.1.contains("uploaded earlier backup \(bare)"), "\(next)")
        #expect(try Self.keys("hb-backup", "interrupted/").filter { $0.hasSuffix(".sha256") }.count == 2)
    }

    @Test func wrongSecretAndMissingCredentialsFailLoudlyWithoutTheSecret() throws {
        let fixture = try Self.lake()
        defer { fixture.remove() }
        let wrong = "wrongSECRETvalue0123456789abcdefWRONG"
        let result = try Self.backup(["create", "--data", fixture.dataDir, "--to", "s3://hb-backup/wrong"], at: Self.start, secret: wrong)
        #expect(result.0 == .failure && result.1.contains("SignatureDoesNotMatch") && !result.1.contains(wrong), "\(result)")
        let console = Console.capturing()
        let none = BackupCommand(now: { 0 }, environment: [:])
        #expect(throws: (any Error).self) { try none.run(["list", "--from", "s3://hb-backup/x"], console: console) }
        let doctorConsole = Console.capturing()
        _ = Doctor(
            config: {
                var config = HomeBaseConfig()
                config.backup.dir = "s3://hb-backup/doctor"
                return config
            }(), environment: try MotoS3.environment(secret: wrong)
        ).check().map { doctorConsole.out($0.message) }
        #expect(doctorConsole.capturedOut.contains("SignatureDoesNotMatch") && !doctorConsole.capturedOut.contains(wrong))
    }

    @Test func doctorProbesTheBucket() throws {
        var config = HomeBaseConfig()
        config.backup.dir = "s3://hb-backup/doctor"
        config.lakeMirror = "s3://hb-lakepush/doctor"
        let findings = Doctor(config: config, environment: try MotoS3.environment()).check()
        let bucket = findings.filter { $0.message.hasPrefix("backup.dir") || $0.message.hasPrefix("lake_mirror") }
        #expect(bucket.count == 8 && bucket.allSatisfy { $0.level == .ok }, "\(bucket)")
        #expect(bucket.contains { $0.message.contains("can delete objects") })
        #expect(try Self.keys("hb-backup", "doctor/").isEmpty)
        let secret = try MotoS3.server().secret
        #expect(!findings.map(\.message).joined().contains(secret))
    }

    @Test func lakePushIsReadByPyarrowAndASecondPushMovesNothing() throws {
        let fixture = try Self.lake()
        defer { fixture.remove() }
        let env = try MotoS3.environment()
        func push() throws -> (ExitCode, String) {
            let console = Console.capturing()
            let code = try LakeCommand(environment: env).run(["push", "s3://hb-lakepush/lake", "--data", fixture.dataDir], console: console)
            return (code, console.capturedOut)
        }
        // A hidden cache must never be pushed.
        try FileManager.default.createDirectory(atPath: fixture.dataDir + "/.backup-cache/x", withIntermediateDirectories: true)
        try Data("cache".utf8).write(to: URL(fileURLWithPath: fixture.dataDir + "/.backup-cache/x/junk.parquet"))
        let first = try push()
        #expect(first.0 == .success && !first.1.contains(" 0 objects uploaded"), "\(first)")
        let keys = try Self.keys("hb-lakepush", "lake/")
        #expect(keys.last == "lake/catalog.sqlite" || keys.contains("lake/catalog.sqlite"))
        #expect(!keys.contains { $0.contains(".backup-cache") })
        let second = try push()
        #expect(second.1.contains(": 0 objects uploaded (0 bytes)"), "\(second)")

        // pyarrow's own S3 client reads every pushed part; the rows equal the local parts'.
        let server = try MotoS3.server()
        let parts = keys.filter { $0.hasSuffix(".parquet") }
        #expect(!parts.isEmpty)
        let code = """
            import sys, pyarrow.parquet as pq, pyarrow.fs as fs
            endpoint, key, secret, root = sys.argv[1:5]
            s3 = fs.S3FileSystem(access_key=key, secret_key=secret, endpoint_override=endpoint, scheme="http", region="us-east-1")
            for name in sys.argv[5:]:
                remote = pq.read_table("hb-lakepush/lake/" + name, filesystem=s3).to_pylist()
                local = pq.read_table(root + "/" + name).to_pylist()
                print(name, len(remote), remote == local)
            """
        let names = parts.map { String($0.dropFirst("lake/".count)) }
        let out = try PythonOracle.run(
            code, [server.endpoint.replacingOccurrences(of: "http://", with: ""), server.accessKeyID, server.secret, fixture.dataDir] + names)
        let lines = out.split(separator: "\n")
        #expect(lines.count == names.count && lines.allSatisfy { $0.hasSuffix(" True") }, "\(out)")
        #expect(!(first.1 + second.1).contains(server.secret))
    }

    /// Every command's path flags and path arguments refuse other schemes with exit 2 and one line.
    @Test func unsupportedSchemesAreUsageErrorsEverywhere() {
        let bad = ["gs://bucket/x", "http://example.com/x", "https://example.com/x", "ftp://host/x", "s3:/bucket/x", "file://relative/x"]
        let forms: [[String]] = [
            ["backup", "create", "--to", "%"], ["backup", "create", "--data", "%"], ["backup", "list", "--from", "%"],
            ["backup", "list", "--backups", "%"], ["backup", "verify", "--from", "%"],
            ["backup", "restore", "x.tar.gz", "--from", "%", "--to", "/tmp/x"],
            ["backup", "restore", "x.tar.gz", "--to", "%"], ["backup", "prune", "--keep-daily", "1", "--from", "%"],
            ["lake", "push", "%"], ["lake", "push", "s3://hb-lakepush/x", "--data", "%"], ["ingest", "--data", "%"],
            ["ingest", "--openclaw", "%"], ["ingest", "--gateway-logs", "%"], ["ingest", "--invoices", "%"], ["analyze", "--data", "%"],
            ["analyze", "--out", "%"], ["analyze", "--config", "%"], ["report", "--out", "%"], ["report", "--data", "%"],
            ["query", "--data", "%", "SELECT 1"], ["query", "--queries", "%", "--list"], ["recommend", "--data", "%"], ["reconcile", "--data", "%"],
            ["nightly", "--config", "%"], ["nightly", "--backup-dir", "%"], ["nightly", "--out", "%"], ["doctor", "--data", "%"],
            ["doctor", "--backup-dir", "%"], ["prices", "list", "--data", "%"], ["prices", "import", "litellm", "%"], ["parquet", "schema", "%"],
            ["generate", "--out", "%"]
        ]
        for form in forms {
            for text in bad {
                let console = Console.capturing()
                let code = CommandLineTool.run(form.map { $0 == "%" ? text : $0 }, console: console)
                let lines = console.capturedErr.split(separator: "\n")
                #expect(code == .usage && lines.count == 1 && lines[0].contains("'\(text)'"), "\(form) \(text): \(code) \(console.capturedErr)")
            }
        }
        // s3:// where only a local path makes sense is refused too, naming what is accepted.
        let console = Console.capturing()
        #expect(CommandLineTool.run(["ingest", "--data", "s3://hb-lakepush/x"], console: console) == .usage)
        #expect(console.capturedErr.contains("takes a local path"))
    }
}
