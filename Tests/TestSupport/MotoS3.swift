import Foundation
import ObjectStore

/// One moto S3 server for the whole test run (it takes a few seconds to start), with signature
/// checking on and these buckets. `check` runs boto3 — an independent client — against it.
package enum MotoS3 {
    package static let buckets = [
        "hb-objects", "hb-multipart", "hb-list", "hb-store", "hb-sync", "hb-probe", "hb-errors", "hb-lake", "hb-backup", "hb-nightly", "hb-lakepush"
    ]

    package struct Server: @unchecked Sendable {
        package let process: BackgroundPython
        package let endpoint: String
        package let accessKeyID: String
        package let secret: String
    }

    private static let started: Result<Server, Error> = Result {
        let process = try BackgroundPython(script: "moto_s3.py", arguments: buckets)
        guard let endpoint = process.announcement["endpoint"] as? String, let key = process.announcement["access_key_id"] as? String,
            let secret = process.announcement["secret_access_key"] as? String
        else {
            throw SetupFailure(description: "moto_s3.py announced \(process.announcement)")
        }
        return Server(process: process, endpoint: endpoint, accessKeyID: key, secret: secret)
    }

    package static func server() throws -> Server { try started.get() }

    /// The standard environment a user would set for this server.
    package static func environment(secret: String? = nil) throws -> [String: String] {
        let server = try server()
        return [
            "AWS_ACCESS_KEY_ID": server.accessKeyID, "AWS_SECRET_ACCESS_KEY": secret ?? server.secret,
            "AWS_ENDPOINT_URL_S3": server.endpoint, "AWS_REGION": "us-east-1"
        ]
    }

    /// A client with small parts (5 MiB, S3's minimum) and instant retries.
    package static func client(secret: String? = nil, partSize: Int = 5 << 20, threshold: Int = 5 << 20) throws -> S3Client {
        var configuration = try S3Configuration.resolve(environment: try environment(secret: secret))
        configuration.partSize = partSize
        configuration.multipartThreshold = threshold
        configuration.retry = RetryPolicy(maxAttempts: 3, baseDelaySeconds: 0, maxDelaySeconds: 0, seed: 1, sleep: { _ in })
        return S3Client(configuration: configuration)
    }

    /// Runs `code` with boto3 in scope as `s3` (a client of this server) and `sys.argv[1...]` = `arguments`.
    package static func check(_ code: String, _ arguments: [String] = []) throws -> String {
        let server = try server()
        let prelude = """
            import sys, json, hashlib, base64, boto3
            s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
            sys.argv = [sys.argv[0]] + sys.argv[4:]

            """
        return try PythonOracle.run(prelude + code, [server.endpoint, server.accessKeyID, server.secret] + arguments)
    }
}
