import Foundation
import Testing
@testable import HomeBaseCore
@testable import Config
@testable import ObjectStore
@testable import Backup
@testable import Pipeline
@testable import TestSupport

/// The nightly's backup, prune and mirror stages with `backup.dir` and `lake_mirror` on S3 (moto).
@Suite(.serialized) struct NightlyS3Tests {
    @Test func backupPruneAndMirrorStagesWriteToTheBucket() throws {
        let fixture = try NightlyFixture(
            extra: """
                , "backup": {"dir": "s3://hb-nightly/night", "keep_daily": 1, "keep_weekly": 0, "keep_monthly": 0,
                             "s3": {"region": "us-east-1", "path_style": true}},
                "lake_mirror": "s3://hb-lakepush/nightly"
                """)
        defer { fixture.remove() }
        let config = try HomeBaseConfig.load(file: fixture.configPath)
        #expect(
            config.backup.dir == "s3://hb-nightly/night" && config.backup.s3?.pathStyle == true && config.lakeMirror == "s3://hb-lakepush/nightly")
        func night(_ now: Int64) throws -> [String: StageOutcome] {
            var options = NightlyOptions(config: config, today: "2026-07-01", now: { now })
            options.environment = try MotoS3.environment()
            let result = try NightlyRunner(options: options).run()
            return Dictionary(uniqueKeysWithValues: result.outcomes.map { ($0.stage, $0) })
        }
        let first = try night(1_782_900_000_000_000)
        #expect(first["backup"]?.status == .ok && first["backup"]?.summary.contains("s3://hb-nightly/night/homebase-backup-") == true, "\(first)")
        #expect(first["backup"]?.summary.contains("uploaded") == true)
        #expect(first["mirror"]?.status == .ok, "\(String(describing: first["mirror"]))")
        let keys = try MotoS3.check(
            """
            for o in s3.list_objects_v2(Bucket="hb-nightly", Prefix="night/").get("Contents", []): print(o["Key"])
            """
        ).split(separator: "\n").map(String.init)
        #expect(keys.filter { $0.hasSuffix(".tar.gz.sha256") }.count == 1, "\(keys)")
        // boto3 downloads the archive; its SHA-256 is the one in the marker.
        let name = try #require(keys.first { $0.hasSuffix(".tar.gz") })
        let same = try MotoS3.check(
            """
            body = s3.get_object(Bucket="hb-nightly", Key=sys.argv[1])["Body"].read()
            marker = s3.get_object(Bucket="hb-nightly", Key=sys.argv[1] + ".sha256")["Body"].read().decode().split()[0]
            print(hashlib.sha256(body).hexdigest() == marker)
            """, [name])
        #expect(same.hasPrefix("True"))
        // The lake did not change: the next night keeps the backup and the mirror moves nothing.
        let second = try night(1_782_900_000_000_000 + 86_400_000_000)
        #expect(second["backup"]?.summary.contains("already holds snapshot") == true, "\(String(describing: second["backup"]))")
        // Only the catalog copy may move (the run records its source checks in it); no part does.
        let moved = second["mirror"]?.summary.split(separator: ":").last?.split(separator: " ").first.flatMap { Int($0) }
        #expect(moved != nil && moved! <= 1, "\(String(describing: second["mirror"]))")
        #expect(second["prune"]?.status == .ok && second["prune"]?.summary.contains("1 backups kept, 0 deleted") == true, "\(second)")
        // The fleet's lake is not the only data dir holding the cache: it is hidden and not mirrored.
        #expect(FileManager.default.fileExists(atPath: fixture.dataDir + "/.backup-cache/hb-nightly/night/" + (name as NSString).lastPathComponent))
    }
}
