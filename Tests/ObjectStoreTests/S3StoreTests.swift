import Foundation
import HomeBaseCore
@testable import ObjectStore
import TestSupport
import Testing

/// Complete-only objects, the lake mirror's sync and doctor's probe, against moto + boto3.
@Suite(.serialized) struct S3StoreTests {
    private func store(_ prefix: String, bucket: String = "hb-store", transport: HTTPTransport? = nil, secret: String? = nil) throws -> S3Store {
        let base = try MotoS3.client(secret: secret)
        let client = transport.map { S3Client(configuration: base.configuration, transport: $0) } ?? base
        return S3Store(
            location: try #require(
                {
                    if case .s3(let l) = try StorageLocation.parse("s3://\(bucket)/\(prefix)") { return l }; return nil
                }()),
            client: client)
    }

    @Test func onlyObjectsWithAMarkerCountAsComplete() throws {
        let transport = RecordingTransport()
        let remote = try store("backups/host-a", transport: transport)
        let directory = TemporaryDirectory("objectstore-complete")
        defer { directory.remove() }
        var rng = SplitMix(seed: 9)
        try rng.bytes(5 << 20 + 1).write(to: URL(fileURLWithPath: directory.file("a.tar.gz")))
        let manifest = Data("{\"files\": []}".utf8)
        let result = try remote.putComplete(file: directory.file("a.tar.gz"), as: "homebase-backup-1.tar.gz", sidecars: [".manifest.json": manifest])
        #expect(result.parts == 2)
        // The object (completed multipart upload), then the sidecar, then the marker, last.
        let writes = transport.requests.filter { $0.method != "GET" && $0.method != "HEAD" }.map(\.url)
        let lastWrites: [String] = writes.suffix(3).map { $0.components(separatedBy: "host-a/").last ?? "" }
        let uploadID: String = writes.suffix(3).first?.components(separatedBy: "uploadId=").last ?? ""
        let expectedWrites: [String] = [
            "homebase-backup-1.tar.gz?uploadId=" + uploadID, "homebase-backup-1.tar.gz.manifest.json", "homebase-backup-1.tar.gz.sha256"
        ]
        #expect(lastWrites == expectedWrites, "\(writes)")
        #expect(try remote.data("homebase-backup-1.tar.gz.manifest.json") == manifest)
        #expect(try remote.data("homebase-backup-9.tar.gz.manifest.json") == nil)
        // An interrupted upload (object without marker), written by boto3, does not count.
        _ = try MotoS3.check("s3.put_object(Bucket='hb-store', Key='backups/host-a/homebase-backup-2.tar.gz', Body=b'half')")
        #expect(try remote.completeObjects().map(\.key) == ["homebase-backup-1.tar.gz"])
        #expect(
            try Set(remote.list().map(\.key)) == [
                "homebase-backup-1.tar.gz", "homebase-backup-1.tar.gz.manifest.json",
                "homebase-backup-1.tar.gz.sha256", "homebase-backup-2.tar.gz"
            ])
        let marker = try MotoS3.check(
            "print(s3.get_object(Bucket='hb-store', Key='backups/host-a/homebase-backup-1.tar.gz.sha256')['Body'].read().decode(), end='')")
        let fileDigest = try PythonOracle.run(
            "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())", [directory.file("a.tar.gz")])
        #expect(marker == "\(fileDigest.trimmingCharacters(in: .newlines))  homebase-backup-1.tar.gz\n", "sha256sum format")
        #expect(try remote.markerDigest("homebase-backup-1.tar.gz") == result.sha256)
        #expect(try remote.markerDigest("homebase-backup-2.tar.gz") == nil)

        let back = directory.file("back")
        #expect(try remote.download("homebase-backup-1.tar.gz", to: back) == result.sha256)
        #expect(try Data(contentsOf: URL(fileURLWithPath: back)) == Data(contentsOf: URL(fileURLWithPath: directory.file("a.tar.gz"))))
        // Into a local backup-directory layout: archive + sha256sum sidecar; the second time is a no-op.
        let cache = directory.file("cache")
        #expect(try remote.fetchComplete("homebase-backup-1.tar.gz", into: cache).downloaded == true)
        #expect(try String(contentsOfFile: cache + "/homebase-backup-1.tar.gz.sha256", encoding: .utf8) == marker)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: cache + "/homebase-backup-1.tar.gz"))
                == Data(contentsOf: URL(fileURLWithPath: directory.file("a.tar.gz"))))
        #expect(try remote.fetchComplete("homebase-backup-1.tar.gz", into: cache).downloaded == false)
        do { _ = try remote.fetchComplete("homebase-backup-2.tar.gz", into: cache); Issue.record("expected an error") } catch {
            #expect((error as? S3Error)?.code == "Incomplete")
        }
        try remote.deleteComplete("homebase-backup-1.tar.gz", sidecars: [".manifest.json"])
        #expect(try remote.list().map(\.key) == ["homebase-backup-2.tar.gz"])
    }

    /// An object replaced behind our back (bytes no longer match its marker) is named on download.
    @Test func corruptedRemoteObjectIsNamed() throws {
        let remote = try store("backups/host-b")
        let directory = TemporaryDirectory("objectstore-corrupt")
        defer { directory.remove() }
        try Data("good archive bytes".utf8).write(to: URL(fileURLWithPath: directory.file("a")))
        try remote.putComplete(file: directory.file("a"), as: "b.tar.gz")
        _ = try MotoS3.check("s3.put_object(Bucket='hb-store', Key='backups/host-b/b.tar.gz', Body=b'BAD archive bytes')")
        do { _ = try remote.download("b.tar.gz", to: directory.file("out")); Issue.record("expected an error") } catch {
            #expect((error as? S3Error)?.code == "ChecksumMismatch")
            #expect("\(error)".hasPrefix("s3://hb-store/backups/host-b/b.tar.gz: GetObject failed"), "\(error)")
        }
        #expect(!(FileManager.default.fileExists(atPath: directory.file("out"))))
    }

    @Test func syncMovesOnlyChangesPutsLastFilesLastAndIsIdempotent() throws {
        let transport = RecordingTransport()
        let remote = try store("lake", bucket: "hb-sync", transport: transport)
        let directory = TemporaryDirectory("objectstore-sync")
        defer { directory.remove() }
        let root = directory.path
        var rng = SplitMix(seed: 13)
        func write(_ name: String, _ data: Data) throws {
            let url = URL(fileURLWithPath: root + "/" + name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        try write("tables/requests/date=2026-12-01/part-1-0.parquet", rng.bytes(3000))
        try write("tables/requests/date=2026-12-02/part-2-0.parquet", rng.bytes(5 << 20 + 1))  // multipart: ETag is not an MD5
        try write("tables/sessions/part-2-0.parquet", rng.bytes(10))
        try write("catalog.sqlite", rng.bytes(4096))
        try write("snapshot.json", Data("{\"snapshot\": 2}".utf8))
        try write(".catalog.sqlite.tmp-123", Data("partial".utf8))
        let last = ["catalog.sqlite", "snapshot.json"]

        let first = try remote.sync(localDirectory: root, last: last)
        #expect(
            first.uploaded == [
                "tables/requests/date=2026-12-01/part-1-0.parquet", "tables/requests/date=2026-12-02/part-2-0.parquet",
                "tables/sessions/part-2-0.parquet", "catalog.sqlite", "snapshot.json"
            ])
        let puts = transport.requests.filter { $0.method == "PUT" || ($0.method == "POST" && $0.url.contains("uploadId=")) }
        #expect(
            puts.suffix(2).map(\.url).allSatisfy { $0.hasSuffix("/lake/catalog.sqlite") || $0.hasSuffix("/lake/snapshot.json") },
            "the pointers go up after every part: \(puts.map(\.url))")
        let listing = try MotoS3.check(
            """
            out = {}
            for o in s3.list_objects_v2(Bucket="hb-sync", Prefix="lake/")["Contents"]:
                out[o["Key"]] = hashlib.sha256(s3.get_object(Bucket="hb-sync", Key=o["Key"])["Body"].read()).hexdigest()
            print(json.dumps(out, sort_keys=True))
            """)
        let remoteDigests = try #require(try JSONSerialization.jsonObject(with: Data(listing.utf8)) as? [String: String])
        let localDigests = try PythonOracle.run(
            """
            import hashlib, json, os, sys
            out = {}
            for d, _, files in os.walk(sys.argv[1]):
                for f in files:
                    p = os.path.join(d, f); rel = os.path.relpath(p, sys.argv[1])
                    if not any(part.startswith(".") for part in rel.split("/")):
                        out["lake/" + rel] = hashlib.sha256(open(p, "rb").read()).hexdigest()
            print(json.dumps(out, sort_keys=True))
            """, [root])
        #expect(try remoteDigests == #require(JSONSerialization.jsonObject(with: Data(localDigests.utf8)) as? [String: String]))

        transport.reset()
        let second = try remote.sync(localDirectory: root, last: last)
        #expect(second.uploaded == [])
        #expect(second.unchanged.count == 5)
        #expect(transport.requests.filter { $0.method == "PUT" || $0.method == "POST" }.count == 0, "nothing moves the second time")

        // Same size, other bytes: a small file (ETag = MD5) and the multipart one (recorded SHA-256).
        try write("tables/sessions/part-2-0.parquet", rng.bytes(10))
        try write("tables/requests/date=2026-12-02/part-2-0.parquet", rng.bytes(5 << 20 + 1))
        try FileManager.default.removeItem(atPath: root + "/tables/requests/date=2026-12-01/part-1-0.parquet")
        let third = try remote.sync(localDirectory: root, last: last, deleteStale: true)
        #expect(third.uploaded == ["tables/requests/date=2026-12-02/part-2-0.parquet", "tables/sessions/part-2-0.parquet"])
        #expect(third.deleted == ["tables/requests/date=2026-12-01/part-1-0.parquet"])
        #expect(try MotoS3.check("print(len(s3.list_objects_v2(Bucket='hb-sync', Prefix='lake/')['Contents']))") == "4\n")
    }

    /// An engine reads the mirror through the S3 API: pyarrow's own S3 client (the AWS C++ SDK)
    /// reads the pushed hive-partitioned Parquet dataset and gets the same table as from the
    /// local directory.
    @Test func pyarrowReadsTheMirroredLakeThroughS3() throws {
        let directory = TemporaryDirectory("objectstore-lake")
        defer { directory.remove() }
        _ = try PythonOracle.run(
            """
            import sys, pyarrow as pa, pyarrow.parquet as pq, os
            for day, rows in [("2026-12-01", [1, 2, 3]), ("2026-12-02", [4, 5])]:
                os.makedirs(f"{sys.argv[1]}/tables/requests/date={day}")
                pq.write_table(pa.table({"n": rows, "model": ["m%d" % r for r in rows]}), f"{sys.argv[1]}/tables/requests/date={day}/part-1-0.parquet")
            """, [directory.path])
        let report = try store("mirror", bucket: "hb-lake").sync(localDirectory: directory.path)
        #expect(report.uploaded.count == 2)
        let server = try MotoS3.server()
        let tables = try PythonOracle.run(
            """
            import sys, json, pyarrow.parquet as pq, pyarrow.fs as fs
            s3 = fs.S3FileSystem(access_key=sys.argv[2], secret_key=sys.argv[3], endpoint_override=sys.argv[1], scheme="http", region="us-east-1")
            remote = pq.read_table("hb-lake/mirror/tables/requests", filesystem=s3).sort_by("n").to_pydict()
            local = pq.read_table(sys.argv[4] + "/tables/requests").sort_by("n").to_pydict()
            print(json.dumps([remote, local]))
            """, [server.endpoint, server.accessKeyID, server.secret, directory.path])
        let pair = try #require(try JSONSerialization.jsonObject(with: Data(tables.utf8)) as? [[String: [Any]]])
        #expect(pair[0]["n"] as? [Int] == [1, 2, 3, 4, 5])
        #expect(NSDictionary(dictionary: pair[0]) == NSDictionary(dictionary: pair[1]))
    }

    @Test func probePassesWithGoodCredentialsAndLeavesNothing() throws {
        let remote = try store("probe-here", bucket: "hb-probe")
        let steps = remote.probe(nowMicros: 1_796_289_011_000_000)
        #expect(steps.map(\.ok) == [true, true, true, true], "\(steps)")
        #expect(try MotoS3.check("print(s3.list_objects_v2(Bucket='hb-probe').get('KeyCount'))") == "0\n")
    }

    @Test func probeReportsAWrongSecretWithoutShowingIt() throws {
        let wrong = "ANOTHERwrongSECRETthatMUSTnotLEAK"
        let steps = try store("probe-here", bucket: "hb-probe", secret: wrong).probe(nowMicros: 1)
        #expect(steps.map(\.ok) == [true, false])
        #expect(steps[1].message.contains("SignatureDoesNotMatch"), "\(steps[1].message)")
        #expect(!(steps.map(\.message).joined().contains(wrong)))
    }
}
