import Foundation
@testable import ObjectStore
import TestSupport
import Testing

/// Retries against a local HTTP server that fails on purpose (Tests/tools/flaky_http.py).
@Suite struct RetryTests {
    final class Sleeps: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Double] = []
        func record(_ seconds: Double) { lock.withLock { values.append(seconds) } }
        var all: [Double] { lock.withLock { values } }
    }

    private func errorXML(_ code: String) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(code)</Code><Message>\(code) on purpose</Message><RequestId>RID1</RequestId></Error>"
    }

    /// A client of a flaky server scripted with `steps` (status, body, delay), recording its sleeps.
    private func flaky(_ steps: [[String: Any]], seed: UInt64 = 42, maxAttempts: Int = 4, timeout: Double = 5) throws -> (
        S3Client, Sleeps, BackgroundPython
    ) {
        let script = String(decoding: try JSONSerialization.data(withJSONObject: steps), as: UTF8.self)
        let server = try BackgroundPython(script: "flaky_http.py", arguments: [script, "final payload"])
        let port = try #require(server.announcement["port"] as? Int)
        let sleeps = Sleeps()
        var configuration = try S3Configuration.resolve(environment: [
            "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s",
            "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:\(port)"
        ])
        configuration.retry = RetryPolicy(
            maxAttempts: maxAttempts, baseDelaySeconds: 0.1, maxDelaySeconds: 0.3, seed: seed, sleep: { sleeps.record($0) })
        configuration.timeoutSeconds = timeout
        return (S3Client(configuration: configuration), sleeps, server)
    }

    @Test func serverErrorsAndThrottlingAreRetriedWithBoundedJitteredBackoff() throws {
        let steps: [[String: Any]] = [
            ["status": 500, "body": errorXML("InternalError")], ["status": 503, "body": errorXML("SlowDown")],
            ["status": 429, "body": ""]
        ]
        let (client, sleeps, server) = try flaky(steps)
        defer { server.stop() }
        #expect(try String(decoding: client.getData(bucket: "hb-flaky", key: "a/b"), as: UTF8.self) == "final payload")
        let delays = sleeps.all
        #expect(delays.count == 3)
        for (index, delay) in delays.enumerated() {
            #expect(delay >= 0)
            #expect(delay <= min(0.3, 0.1 * Double(1 << index)), "full jitter is capped by base·2^n and maxDelay")
        }
        // Same seed, same waits; another seed, other waits.
        let (again, againSleeps, againServer) = try flaky(steps)
        defer { againServer.stop() }
        _ = try again.getData(bucket: "hb-flaky", key: "a/b")
        #expect(againSleeps.all == delays)
        let (other, otherSleeps, otherServer) = try flaky(steps, seed: 43)
        defer { otherServer.stop() }
        _ = try other.getData(bucket: "hb-flaky", key: "a/b")
        #expect(otherSleeps.all != delays)
    }

    @Test func givingUpNamesTheObjectStatusCodeAndAttempts() throws {
        let (client, sleeps, server) = try flaky(Array(repeating: ["status": 500, "body": errorXML("InternalError")], count: 5), maxAttempts: 3)
        defer { server.stop() }
        do { _ = try client.put(bucket: "hb-flaky", key: "x/y.tar.gz", data: Data("abc".utf8)); Issue.record("expected an error") } catch {
            let s3 = error as? S3Error
            #expect(s3?.status == 500)
            #expect(s3?.code == "InternalError")
            #expect(s3?.attempts == 3)
            #expect(
                "\(error)"
                    == "s3://hb-flaky/x/y.tar.gz: PutObject failed: HTTP 500 InternalError: InternalError on purpose (after 3 attempts) [request id RID1]; fix: the service failed: run again later"
            )
        }
        #expect(sleeps.all.count == 2)
    }

    @Test func clientErrorsAreNotRetried() throws {
        let (client, sleeps, server) = try flaky([["status": 403, "body": errorXML("AccessDenied")]])
        defer { server.stop() }
        do { _ = try client.getData(bucket: "hb-flaky", key: "k"); Issue.record("expected an error") } catch {
            #expect((error as? S3Error)?.code == "AccessDenied")
            #expect((error as? S3Error)?.attempts == 1)
            #expect("\(error)".contains("fix: the key may not do this"))
        }
        #expect(sleeps.all == [])
    }

    /// AWS answers a request sent to the wrong region with 301 PermanentRedirect and the bucket's
    /// region in a header: not followed, not retried, and the fix names the region.
    @Test func aWrongRegionNamesTheRightOne() throws {
        let (client, sleeps, server) = try flaky([
            ["status": 301, "body": errorXML("PermanentRedirect"), "headers": ["x-amz-bucket-region": "eu-west-1"]]
        ])
        defer { server.stop() }
        do { _ = try client.list(bucket: "hb-flaky", prefix: ""); Issue.record("expected an error") } catch {
            #expect((error as? S3Error)?.code == "PermanentRedirect")
            #expect("\(error)".hasSuffix("fix: set AWS_REGION or backup.s3.region to eu-west-1"), "\(error)")
        }
        #expect(sleeps.all.isEmpty)
    }

    @Test func aTimeoutIsRetried() throws {
        let (client, sleeps, server) = try flaky([["status": 200, "body": "late", "delay": 3]], timeout: 1)
        defer { server.stop() }
        #expect(try String(decoding: client.getData(bucket: "hb-flaky", key: "k"), as: UTF8.self) == "final payload")
        #expect(sleeps.all.count == 1)
    }

    /// CopyObject and CompleteMultipartUpload can fail with status 200 and an Error document.
    @Test func anErrorDocumentInA200IsAFailureAndRetried() throws {
        let (client, sleeps, server) = try flaky([
            ["status": 200, "body": errorXML("InternalError")],
            ["status": 200, "body": "<CopyObjectResult><ETag>\"e\"</ETag></CopyObjectResult>"]
        ])
        defer { server.stop() }
        try client.copy(bucket: "hb-flaky", from: "a", to: "b")
        #expect(sleeps.all.count == 1)
    }

    @Test func noServerAtAllNamesTheEndpoint() throws {
        let sleeps = Sleeps()
        var configuration = try S3Configuration.resolve(environment: [
            "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s",
            "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9"
        ])
        configuration.retry = RetryPolicy(maxAttempts: 2, baseDelaySeconds: 0, maxDelaySeconds: 0, seed: 1, sleep: { sleeps.record($0) })
        do { _ = try S3Client(configuration: configuration).head(bucket: "hb-none", key: "k"); Issue.record("expected an error") } catch {
            #expect((error as? S3Error)?.status == nil)
            #expect((error as? S3Error)?.attempts == 2)
            #expect("\(error)".contains("http://127.0.0.1:9"), "\(error)")
            #expect("\(error)".contains("fix: check the endpoint URL"), "\(error)")
        }
    }
}
