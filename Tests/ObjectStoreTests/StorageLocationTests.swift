@testable import ObjectStore
import Testing

/// Parsing of backup and mirror locations: S3 URLs, local paths, refused schemes.
@Suite struct StorageLocationTests {
    @Test func s3URLs() throws {
        #expect(try StorageLocation.parse("s3://my-bucket/backups/home") == .s3(S3Location(bucket: "my-bucket", prefix: "backups/home")))
        #expect(try StorageLocation.parse("s3://my-bucket/backups/") == .s3(S3Location(bucket: "my-bucket", prefix: "backups")))
        #expect(try StorageLocation.parse("s3://my-bucket") == .s3(S3Location(bucket: "my-bucket", prefix: "")))
        #expect(try StorageLocation.parse("S3://my.bucket.eu/x") == .s3(S3Location(bucket: "my.bucket.eu", prefix: "x")))
        let location = S3Location(bucket: "b-1", prefix: "p/q")
        #expect(location.key("a.tar.gz") == "p/q/a.tar.gz")
        #expect(location.name(ofKey: "p/q/a.tar.gz") == "a.tar.gz")
        #expect(location.name(ofKey: "p/qa.tar.gz") == nil)
        #expect(S3Location(bucket: "b-1").key("a") == "a")
        #expect(location.description == "s3://b-1/p/q")
    }

    @Test func localPathsPassThrough() throws {
        for path in ["./homebase-backups", "/var/backups/hb", "backups", "./s3:/bucket/x", "C:/x", "dir:with:colons", "s3bucket/x"] {
            #expect(try StorageLocation.parse(path) == .local(path), "\(path)")
        }
        #expect(try StorageLocation.parse("file:///var/backups") == .local("/var/backups"))
    }

    @Test func unsupportedSchemesAreRefusedWithAReason() {
        let refused: [(String, String)] = [
            ("gs://bucket/x", "gs:// is not supported"),
            ("http://host/bucket", "http:// is not a storage location"),
            ("https://host/bucket", "https:// is not a storage location"),
            ("ftp://host/x", "the ftp: scheme is not supported"),
            ("azure://container/x", "the azure: scheme is not supported"),
            ("s3:/bucket/x", "two slashes"),
            ("s3://", "no bucket name"),
            ("s3:///x", "no bucket name"),
            ("s3://Bucket/x", "not a valid bucket name"),
            ("s3://ab/x", "not a valid bucket name"),
            ("s3://-ab/x", "not a valid bucket name"),
            ("s3://bucket/a//b", "empty, '.' or '..' segments"),
            ("s3://bucket/a/../b", "empty, '.' or '..' segments"),
            ("s3://bucket/a?versionId=1", "'?' or '#'"),
            ("file://relative/x", "file:///absolute/path")
        ]
        for (text, reason) in refused {
            do { _ = try StorageLocation.parse(text); Issue.record("expected an error") } catch {
                let description = "\(error)"
                #expect(description.contains(reason), "\(text): \(description)")
                #expect(!(description.contains("\n")), "one line: \(description)")
                #expect(description.hasPrefix("'\(text)': "), "\(description)")
            }
        }
    }
}
