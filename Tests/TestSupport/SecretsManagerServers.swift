import Foundation

/// The secrets-manager stand-ins of the `credentials import` tests: moto's Secrets Manager with
/// signature checking and its request recorder (`Tests/tools/moto_secretsmanager.py`), and a Vault
/// KV v2 metadata server that logs every request (`Tests/tools/vault_server.py`).
package enum SecretsManagerServers {
    package static let fixtures = PythonOracle.repositoryRoot.path + "/Tests/TestSupport/Fixtures/credentials"

    /// A fresh moto server (the recording must hold only this test's requests).
    package final class Moto {
        let scratch = TemporaryDirectory("moto-secrets")
        package let process: BackgroundPython
        package let environment: [String: String]
        package let secret: String

        package init() throws {
            process = try BackgroundPython(script: "moto_secretsmanager.py", arguments: [scratch.file("recording.jsonl")])
            guard let endpoint = process.announcement["endpoint"] as? String, let key = process.announcement["access_key_id"] as? String,
                let secret = process.announcement["secret_access_key"] as? String
            else { throw SetupFailure(description: "moto_secretsmanager.py announced \(process.announcement)") }
            self.secret = secret
            environment = [
                "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_REGION": "us-east-1",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER": endpoint
            ]
        }

        /// Every request the server received after its bootstrap: (method, URL, X-Amz-Target, body).
        package var requests: [(method: String, url: String, target: String?, body: String)] {
            let text = (try? String(contentsOfFile: scratch.file("recording.jsonl"), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
                let headers = (object["headers"] as? [String: String] ?? [:]).reduce(into: [String: String]()) { $0[$1.key.lowercased()] = $1.value }
                var body = object["body"] as? String ?? ""
                if object["body_encoded"] as? Bool == true, let data = Data(base64Encoded: body) { body = String(decoding: data, as: UTF8.self) }
                return (object["method"] as? String ?? "", object["url"] as? String ?? "", headers["x-amz-target"], body)
            }
        }

        deinit {
            process.stop()
            scratch.remove()
        }
    }

    /// A Vault stand-in serving `documents` ({"path": metadata document}) under `mount`.
    package final class Vault {
        let scratch = TemporaryDirectory("vault-server")
        package let process: BackgroundPython
        package let address: String

        package init(token: String, mount: String = "secret", documents: String = fixtures + "/vault-metadata.json") throws {
            process = try BackgroundPython(script: "vault_server.py", arguments: [scratch.file("log.jsonl"), token, mount, documents])
            guard let endpoint = process.announcement["endpoint"] as? String else {
                throw SetupFailure(description: "vault_server.py announced \(process.announcement)")
            }
            address = endpoint
        }

        /// Every request received: (method, path with query, headers).
        package var requests: [(method: String, path: String, headers: [String: String])] {
            let text = (try? String(contentsOfFile: scratch.file("log.jsonl"), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
                return (object["method"] as? String ?? "", object["path"] as? String ?? "", object["headers"] as? [String: String] ?? [:])
            }
        }

        deinit {
            process.stop()
            scratch.remove()
        }
    }
}
