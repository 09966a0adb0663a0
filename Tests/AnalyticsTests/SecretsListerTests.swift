import Foundation
import Testing
@testable import HomeBaseCore
@testable import ObjectStore
@testable import Analytics

/// The AWS lister's paging and request shape against a scripted transport (moto checks the
/// signature itself in CredentialsCommandTests): every page is a signed ListSecrets call for the
/// `secretsmanager` service, and `NextToken` is followed until the last page.
@Suite struct SecretsListerTests {
    final class Script: HTTPTransport, @unchecked Sendable {
        let lock = NSLock()
        var pages: [String]
        var sent: [HTTPRequest] = []
        init(_ pages: [String]) { self.pages = pages }
        func send(_ request: HTTPRequest, timeoutSeconds: Double, sink: ((Data) throws -> Void)?) throws -> HTTPResponse {
            lock.withLock {
                sent.append(request)
                return HTTPResponse(status: 200, headers: [:], body: Data(pages.removeFirst().utf8))
            }
        }
    }

    @Test func followsNextTokenWithSignedListSecretsCalls() throws {
        let script = Script([
            #"{"SecretList": [{"Name": "a", "CreatedDate": 1767225600}], "NextToken": "page-2"}"#,
            #"{"SecretList": [{"Name": "b", "RotationEnabled": true}]}"#
        ])
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "s3cr3t-never-shown", "AWS_REGION": "eu-central-1",
            "AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://127.0.0.1:9"
        ]
        let lister = try AWSSecretsLister(environment: environment, transport: script, now: { 1_767_225_600_000_000 })
        let entries = try lister.listAll()
        #expect(entries.map(\.name) == ["a", "b"] && entries[1].rotationEnabled == true)
        #expect(script.sent.count == 2)
        for request in script.sent {
            let headers = Dictionary(request.headers.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { a, _ in a })
            #expect(request.method == "POST" && request.url == "http://127.0.0.1:9/")
            #expect(headers["x-amz-target"] == "secretsmanager.ListSecrets" && headers["content-type"] == "application/x-amz-json-1.1")
            #expect(headers["authorization"]?.contains("Credential=AKIDEXAMPLE/20260101/eu-central-1/secretsmanager/aws4_request") == true)
            #expect(headers["x-amz-date"] == "20260101T000000Z")
            #expect(!request.headers.contains { $0.1.contains("s3cr3t-never-shown") })
        }
        let bodies = try script.sent.map { try JSONSerialization.jsonObject(with: $0.body) as? [String: Any] ?? [:] }
        #expect(bodies[0]["NextToken"] == nil && bodies[1]["NextToken"] as? String == "page-2")
        #expect(bodies.allSatisfy { ($0["MaxResults"] as? Int) == 100 })
    }

    @Test func missingVariablesSayWhichToSet() {
        #expect(throws: InventoryError.self) { try AWSSecretsLister(environment: [:], transport: Script([]), now: { 0 }) }
        do {
            _ = try VaultMetadataLister(environment: ["VAULT_ADDR": "https://vault:8200"], mount: "kv", transport: Script([]))
            Issue.record("accepted a missing VAULT_TOKEN")
        } catch {
            #expect("\(error)".contains("VAULT_TOKEN") && "\(error)".contains("kv/metadata"))
        }
    }
}
