import Foundation
import HomeBaseCore
@testable import ObjectStore
import TestSupport
import Testing

/// The signer against AWS's documented example and against botocore signing the same requests at
/// the same instant (botocore percent-encodes the path and query itself, so our encoding is
/// checked too).
@Suite struct SigV4SignerTests {
    /// The GET Object example of the S3 API reference ("Signature Calculations for the
    /// Authorization Header"): GET /test.txt with `Range: bytes=0-9` on examplebucket, 2013-05-24.
    @Test func aWSDocumentedGetObjectExample() {
        let credentials = S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1")
        let signed = signer.sign(
            method: "GET", path: "/test.txt", query: [],
            headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")],
            payloadSHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", micros: 1_369_353_600_000_000)
        #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(
            signed.headers.first { $0.0 == "authorization" }?.1
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
    }

    private struct Case {
        var method: String
        var bucket: String
        var key: String?
        var query: [(String, String)] = []
        var headers: [(String, String)] = []
        var body = Data()
        var pathStyle = false
        var host = "s3.eu-west-1.amazonaws.com"
        var port: Int?
        var token: String?
    }

    @Test func matchesBotocore() throws {
        var rng = SplitMix(seed: 3)
        let cases = [
            Case(method: "GET", bucket: "examplebucket", key: "test.txt", headers: [("Range", "bytes=0-9")]),
            Case(
                method: "PUT", bucket: "hb-backups", key: "photos/2026 12/naïve café+x=y&z~*'()!;,:@$.bin",
                headers: [
                    ("Content-Type", "application/octet-stream"), ("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="),
                    ("x-amz-meta-sha256", String(repeating: "ab", count: 32)), ("x-amz-meta-note", "  spaced    value  ")
                ],
                body: rng.bytes(1000)),
            Case(
                method: "GET", bucket: "hb-backups", key: nil,
                query: [
                    ("list-type", "2"), ("prefix", "a b/ü+%"), ("max-keys", "2"),
                    ("continuation-token", "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
                ]),
            Case(
                method: "POST", bucket: "hb-backups", key: "big/archive.tar.gz", query: [("uploads", "")],
                headers: [("Content-Type", "application/octet-stream")], token: "FQoGZXIvYXdzE//token+with/slashes=="),
            Case(
                method: "POST", bucket: "hb-backups", key: nil, query: [("delete", "")],
                headers: [("Content-Type", "application/xml"), ("Content-MD5", "XrY7u+Ae7tCTyyK7j1rNww==")],
                body: Data("<Delete><Object><Key>a&amp;b</Key></Object></Delete>".utf8)),
            Case(
                method: "PUT", bucket: "hb-backups", key: "big/archive.tar.gz", query: [("partNumber", "3"), ("uploadId", "VXBsb2FkIElE/a%b+c")],
                body: rng.bytes(5000)),
            Case(method: "DELETE", bucket: "hb-x", key: "k/../odd key", pathStyle: true, host: "127.0.0.1", port: 9000),
            Case(method: "HEAD", bucket: "my.dotted.bucket", key: "x", host: "s3.us-east-1.amazonaws.com")
        ]
        let micros: Int64 = 1_796_289_011_000_000  // 2026-12-03T09:10:11Z
        var ours: [[String: String]] = []
        var requests: [[String: Any]] = []
        for testCase in cases {
            var configuration = S3Configuration(
                host: testCase.host, port: testCase.port, region: "eu-west-1", addressing: testCase.pathStyle ? .path : .virtualHosted,
                credentials: S3Credentials(
                    accessKeyID: "AKIDEXAMPLE", secretAccessKey: Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                    sessionToken: testCase.token.map(Secret.init)))
            configuration.scheme = "https"
            let client = S3Client(configuration: configuration)
            let (host, path) = client.address(bucket: testCase.bucket, key: testCase.key)
            let payload = SHA256.hex(Array(testCase.body))
            let signed = client.signer.sign(
                method: testCase.method, path: path, query: testCase.query, headers: [("host", host)] + testCase.headers,
                payloadSHA256: payload, micros: micros)
            ours.append(["authorization": signed.headers.first { $0.0 == "authorization" }?.1 ?? "", "path": path, "host": host])
            let rawPath =
                client.usesPathStyle(bucket: testCase.bucket)
                ? "/\(testCase.bucket)" + (testCase.key.map { "/" + $0 } ?? "") : "/" + (testCase.key ?? "")
            let botoHost = client.usesPathStyle(bucket: testCase.bucket) ? testCase.host : "\(testCase.bucket).\(testCase.host)"
            requests.append([
                "method": testCase.method, "host": botoHost + (testCase.port.map { ":\($0)" } ?? ""), "raw_path": rawPath,
                "query": testCase.query.map { [$0.0, $0.1] }, "headers": testCase.headers.map { [$0.0, $0.1] },
                "body": SHA256.hexString(Array(testCase.body)), "token": testCase.token as Any
            ])
        }
        let output = try PythonOracle.run(
            """
            import sys, json, datetime
            import botocore.auth
            from botocore.auth import S3SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            from botocore.utils import percent_encode
            botocore.auth.get_current_datetime = lambda *a, **k: datetime.datetime(2026, 12, 3, 9, 10, 11)
            out = []
            for req in json.loads(sys.stdin.read()):
                path = percent_encode(req["raw_path"], safe="/~")
                r = AWSRequest(method=req["method"], url="https://" + req["host"] + path, data=bytes.fromhex(req["body"]),
                               params={k: v for k, v in req["query"]})
                for name, value in req["headers"]:
                    r.headers[name] = value
                r.context["payload_signing_enabled"] = True
                S3SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", req["token"]), "s3", "eu-west-1").add_auth(r)
                out.append({"authorization": r.headers["Authorization"].replace(", ", ","), "path": path, "host": req["host"]})
            print(json.dumps(out))
            """, stdin: try JSONSerialization.data(withJSONObject: requests))
        // botocore writes ", " between the Authorization fields, AWS's examples ","; both are accepted.
        let theirs = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: String]])
        #expect(theirs.count == cases.count)
        for (index, pair) in zip(ours, theirs).enumerated() {
            #expect(pair.0 == pair.1, "case \(index): \(cases[index].method) \(cases[index].key ?? "(bucket)")")
        }
    }

    @Test func amzDateAndHeaderTrimming() {
        #expect(SigV4Signer.amzDate(micros: 0) == "19700101T000000Z")
        #expect(SigV4Signer.amzDate(micros: 1_796_289_011_999_999) == "20261203T091011Z")
        #expect(SigV4Signer.trimHeaderValue("  a   b c  ") == "a b c")
    }
}
