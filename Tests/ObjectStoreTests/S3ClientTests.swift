import Foundation
import HomeBaseCore
@testable import ObjectStore
import TestSupport
import Testing

/// Every client operation against moto (which checks each request's signature), with boto3
/// reading back what was stored.
@Suite(.serialized) struct S3ClientTests {
    private func client(_ transport: HTTPTransport, secret: String? = nil) throws -> S3Client {
        let base = try MotoS3.client(secret: secret)
        return S3Client(configuration: base.configuration, transport: transport)
    }

    @Test func putHeadGetCopyDeleteAsBoto3SeesThem() throws {
        let s3 = try MotoS3.client()
        let body = Data("hello, object store\n".utf8)
        let key = "dir one/naïve café & <x>+y=z.txt"
        let etag = try s3.put(
            bucket: "hb-objects", key: key, data: body, contentType: "text/plain", metadata: ["sha256": SHA256.hex(Array(body)), "Note": "v1"])
        let seen = try MotoS3.check(
            """
            h = s3.head_object(Bucket="hb-objects", Key=sys.argv[1])
            b = s3.get_object(Bucket="hb-objects", Key=sys.argv[1])["Body"].read()
            print(json.dumps({"etag": h["ETag"].strip('"'), "type": h["ContentType"], "meta": h["Metadata"], "md5": hashlib.md5(b).hexdigest(), "sha": hashlib.sha256(b).hexdigest()}))
            """, [key])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(seen.utf8)) as? [String: Any])
        #expect(object["sha"] as? String == SHA256.hex(Array(body)))
        #expect(object["etag"] as? String == etag)
        #expect(object["md5"] as? String == etag, "single-part ETag is the MD5 of the body")
        #expect(object["type"] as? String == "text/plain")
        #expect(object["meta"] as? [String: String] == ["sha256": SHA256.hex(Array(body)), "note": "v1"])

        let info = try #require(try s3.head(bucket: "hb-objects", key: key))
        #expect(info.size == Int64(body.count))
        #expect(info.etag == etag)
        #expect(info.sha256 == SHA256.hex(Array(body)))
        #expect(try s3.getData(bucket: "hb-objects", key: key) == body)

        try s3.copy(bucket: "hb-objects", from: key, to: "copies/kept-metadata")
        try s3.copy(bucket: "hb-objects", from: key, to: "copies/new-metadata", metadata: ["note": "v2"])
        let copies = try MotoS3.check(
            """
            out = {}
            for k in ["copies/kept-metadata", "copies/new-metadata"]:
                o = s3.get_object(Bucket="hb-objects", Key=k)
                out[k] = [hashlib.sha256(o["Body"].read()).hexdigest(), o["Metadata"]]
            print(json.dumps(out, sort_keys=True))
            """)
        let copied = try #require(try JSONSerialization.jsonObject(with: Data(copies.utf8)) as? [String: [Any]])
        #expect(copied["copies/kept-metadata"]?[0] as? String == SHA256.hex(Array(body)))
        #expect(copied["copies/kept-metadata"]?[1] as? [String: String] == ["sha256": SHA256.hex(Array(body)), "note": "v1"])
        #expect(copied["copies/new-metadata"]?[1] as? [String: String] == ["note": "v2"])

        try s3.delete(bucket: "hb-objects", key: key)
        try s3.delete(bucket: "hb-objects", key: key)  // already gone: still fine
        #expect(try s3.head(bucket: "hb-objects", key: key) == nil)
        do { _ = try s3.getData(bucket: "hb-objects", key: key); Issue.record("expected an error") } catch {
            #expect((error as? S3Error)?.isNotFound ?? false, "\(error)")
            #expect((error as? S3Error)?.code == "NoSuchKey")
        }
        #expect(try MotoS3.check("print(s3.list_objects_v2(Bucket='hb-objects', Prefix='dir one/').get('KeyCount'))") == "0\n")
    }

    /// 10 MiB + 1 byte with 5 MiB parts: three parts, never more than one part in a request body,
    /// and boto3 reads back the same bytes with the SHA-256 recorded in the metadata.
    @Test func multipartUploadIsStreamedAndComplete() throws {
        let transport = RecordingTransport()
        let s3 = try client(transport)
        let directory = TemporaryDirectory("objectstore-multipart")
        defer { directory.remove() }
        var rng = SplitMix(seed: 5)
        let path = directory.file("archive.tar.gz")
        let content = rng.bytes(10 << 20 + 1)
        try content.write(to: URL(fileURLWithPath: path))
        let result = try s3.upload(file: path, bucket: "hb-multipart", key: "backups/archive.tar.gz", metadata: ["kind": "backup"])
        #expect(result.parts == 3)
        #expect(result.size == Int64(content.count))
        #expect(transport.largestBody <= 5 << 20)
        #expect(transport.requests.filter { $0.url.contains("partNumber=") }.map(\.bodyBytes) == [5 << 20, 5 << 20, 1])
        let seen = try MotoS3.check(
            """
            o = s3.get_object(Bucket="hb-multipart", Key="backups/archive.tar.gz")
            print(json.dumps([hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest(), hashlib.sha256(o["Body"].read()).hexdigest(),
                              o["Metadata"], o["ETag"].strip('"'), s3.list_multipart_uploads(Bucket="hb-multipart").get("Uploads", [])]))
            """, [path])
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(seen.utf8)) as? [Any])
        #expect(fields[0] as? String == result.sha256, "our SHA-256 of the file is Python's")
        #expect(fields[1] as? String == result.sha256, "the stored object is the file")
        #expect(fields[2] as? [String: String] == ["sha256": result.sha256, "kind": "backup"])
        #expect(fields[3] as? String == result.etag)
        #expect(result.etag.hasSuffix("-3"), "\(result.etag)")
        #expect((fields[4] as? [Any])?.count == 0, "no upload left open")

        // Streamed download of the multipart object, checked against the recorded SHA-256.
        let back = directory.file("back.tar.gz")
        let download = try s3.download(bucket: "hb-multipart", key: "backups/archive.tar.gz", to: back)
        #expect(download.sha256 == result.sha256)
        #expect(try Data(contentsOf: URL(fileURLWithPath: back)) == content)
    }

    @Test func abortedMultipartUploadLeavesNothing() throws {
        let s3 = try MotoS3.client()
        let id = try s3.createMultipartUpload(bucket: "hb-multipart", key: "aborted")
        _ = try s3.uploadPart(bucket: "hb-multipart", key: "aborted", uploadID: id, number: 1, data: Data(repeating: 7, count: 1000))
        #expect(try MotoS3.check("print(len(s3.list_multipart_uploads(Bucket='hb-multipart').get('Uploads', [])))") == "1\n")
        try s3.abortMultipartUpload(bucket: "hb-multipart", key: "aborted", uploadID: id)
        #expect(
            try MotoS3.check(
                """
                print(len(s3.list_multipart_uploads(Bucket='hb-multipart').get('Uploads', [])), s3.list_objects_v2(Bucket='hb-multipart', Prefix='aborted')['KeyCount'])
                """) == "0 0\n")
    }

    /// A corrupted remote object (its bytes no longer match its recorded SHA-256) is refused.
    @Test func downloadRefusesAnObjectThatDoesNotMatchItsChecksum() throws {
        let s3 = try MotoS3.client()
        _ = try MotoS3.check(
            """
            s3.put_object(Bucket="hb-objects", Key="damaged.bin", Body=b"not what was written", Metadata={"sha256": hashlib.sha256(b"what was written").hexdigest()})
            """)
        let directory = TemporaryDirectory("objectstore-damaged")
        defer { directory.remove() }
        do { _ = try s3.download(bucket: "hb-objects", key: "damaged.bin", to: directory.file("out")); Issue.record("expected an error") } catch {
            #expect((error as? S3Error)?.code == "ChecksumMismatch")
            #expect("\(error)".hasPrefix("s3://hb-objects/damaged.bin: GetObject failed"), "\(error)")
        }
        #expect(!(FileManager.default.fileExists(atPath: directory.file("out"))))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [], "no temporary file left")
    }

    /// 23 keys made by boto3 (odd characters included), listed 5 per page, then batch-deleted.
    @Test func listingFollowsContinuationTokensAndBatchDelete() throws {
        let transport = RecordingTransport()
        let s3 = try client(transport)
        let expected = try MotoS3.check(
            """
            keys = ["p/%02d name & <x> é+%%.bin" % i for i in range(20)] + ["p/z/deeper", "p/~tilde", "p/a b"]
            for i, k in enumerate(keys):
                s3.put_object(Bucket="hb-list", Key=k, Body=b"x" * i)
            s3.put_object(Bucket="hb-list", Key="q/outside", Body=b"")
            out = []
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket="hb-list", Prefix="p/"):
                out += [[o["Key"], o["Size"], o["ETag"].strip('"')] for o in page["Contents"]]
            print(json.dumps(out))
            """)
        let theirs = try #require(try JSONSerialization.jsonObject(with: Data(expected.utf8)) as? [[Any]])
        let ours = try s3.list(bucket: "hb-list", prefix: "p/", pageSize: 5)
        #expect(ours.count == 23)
        #expect(ours.map(\.key) == theirs.map { $0[0] as? String ?? "" })
        #expect(ours.map(\.size) == theirs.map { Int64($0[1] as? Int ?? -1) })
        #expect(ours.map(\.etag) == theirs.map { $0[2] as? String ?? "" })
        #expect(transport.requests.filter { $0.url.contains("list-type=2") }.count == 5, "23 keys at 5 a page")

        try s3.delete(bucket: "hb-list", keys: ours.map(\.key))
        #expect(try MotoS3.check("print([o['Key'] for o in s3.list_objects_v2(Bucket='hb-list').get('Contents', [])])") == "['q/outside']\n")
    }

    /// A wrong secret: moto rejects the signature; the error says which setting to fix and never
    /// shows the secret; it is not retried.
    @Test func wrongSecretIsAClearErrorWithoutTheSecret() throws {
        let wrong = "WRONGsecretVALUEthatMUSTnotLEAK0123456789"
        let s3 = try MotoS3.client(secret: wrong)
        do { _ = try s3.put(bucket: "hb-errors", key: "k", data: Data("x".utf8)); Issue.record("expected an error") } catch {
            let s3Error = error as? S3Error
            #expect(s3Error?.status == 403)
            #expect(s3Error?.code == "SignatureDoesNotMatch")
            #expect(s3Error?.attempts == 1)
            #expect("\(error)".contains("fix: the secret access key does not belong to the key id"), "\(error)")
            #expect(!("\(error)".contains(wrong)))
            #expect(!(String(reflecting: error).contains(wrong)))
        }
        do { _ = try s3.list(bucket: "hb-nonexistent", prefix: ""); Issue.record("expected an error") } catch {
            #expect(!("\(error)".contains(wrong)))
        }
    }

    @Test func missingBucketSaysSo() throws {
        do { _ = try MotoS3.client().list(bucket: "hb-does-not-exist", prefix: ""); Issue.record("expected an error") } catch {
            #expect((error as? S3Error)?.code == "NoSuchBucket", "\(error)")
            #expect("\(error)".contains("fix: the bucket does not exist"), "\(error)")
        }
    }
}
