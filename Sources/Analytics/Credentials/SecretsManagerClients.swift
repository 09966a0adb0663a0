import Foundation
import HomeBaseCore
import ObjectStore

/// AWS Secrets Manager over its HTTP API: `ListSecrets` only (JSON 1.1, SigV4 with service
/// `secretsmanager`), page by page. Never `GetSecretValue`: values are not requested.
package struct AWSSecretsLister: Sendable {
    package var endpoint: URLComponents
    package var region: String
    package var credentials: S3Credentials
    package var transport: any HTTPTransport
    package var now: @Sendable () -> Int64

    /// From the standard variables: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
    /// `AWS_REGION` (or `AWS_DEFAULT_REGION`), and `AWS_ENDPOINT_URL_SECRETS_MANAGER` (or
    /// `AWS_ENDPOINT_URL`; default `https://secretsmanager.<region>.amazonaws.com`).
    package init(environment: [String: String], transport: any HTTPTransport, now: @escaping @Sendable () -> Int64) throws {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let key = value("AWS_ACCESS_KEY_ID"), let secret = value("AWS_SECRET_ACCESS_KEY") else {
            throw InventoryError("aws: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (a key allowed secretsmanager:ListSecrets only is enough)")
        }
        region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? "us-east-1"
        let url = value("AWS_ENDPOINT_URL_SECRETS_MANAGER") ?? value("AWS_ENDPOINT_URL") ?? "https://secretsmanager.\(region).amazonaws.com"
        guard let components = URLComponents(string: url), components.host != nil, ["http", "https"].contains(components.scheme ?? "") else {
            throw InventoryError("aws: endpoint '\(url)' is not an http(s) URL; fix AWS_ENDPOINT_URL_SECRETS_MANAGER")
        }
        endpoint = components
        credentials = S3Credentials(accessKeyID: key, secretAccessKey: Secret(secret), sessionToken: value("AWS_SESSION_TOKEN").map(Secret.init))
        self.transport = transport
        self.now = now
    }

    /// The endpoint as printed in messages (no credentials in it).
    package var origin: String { (endpoint.scheme ?? "https") + "://" + (endpoint.host ?? "") + (endpoint.port.map { ":\($0)" } ?? "") }

    /// Every secret's metadata, following `NextToken`.
    package func listAll() throws -> [InventoryEntry] {
        var entries: [InventoryEntry] = []
        var token: String?
        var pages = 0
        repeat {
            var request: [String: Any] = ["MaxResults": 100]
            if let token { request["NextToken"] = token }
            let body = try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])
            let data = try call(target: "secretsmanager.ListSecrets", body: body)
            let page = try InventoryParser.aws(data, origin: origin + " ListSecrets")
            entries += page.entries
            token = page.nextToken
            pages += 1
        } while token != nil && pages < 10_000
        return entries
    }

    func call(target: String, body: Data) throws -> Data {
        let host = (endpoint.host ?? "") + (endpoint.port.map { ":\($0)" } ?? "")
        var signer = SigV4Signer(credentials: credentials, region: region)
        signer.service = "secretsmanager"
        let path = endpoint.path.isEmpty ? "/" : endpoint.path
        let signed = signer.sign(
            method: "POST", path: path, query: [],
            headers: [("host", host), ("content-type", "application/x-amz-json-1.1"), ("x-amz-target", target)],
            payloadSHA256: SHA256.hex([UInt8](body)), micros: now())
        let response: HTTPResponse
        do {
            response = try transport.send(
                HTTPRequest(method: "POST", url: origin + path, headers: signed.headers, body: body), timeoutSeconds: 60, sink: nil)
        } catch {
            throw InventoryError("aws: \(origin) did not answer (\(error)); check AWS_ENDPOINT_URL_SECRETS_MANAGER and the network")
        }
        guard (200..<300).contains(response.status) else {
            let text = String(decoding: response.body.prefix(500), as: UTF8.self)
            throw InventoryError(
                "aws: \(target) at \(origin) answered HTTP \(response.status): \(text); check the key's secretsmanager:ListSecrets permission and AWS_REGION"
            )
        }
        return response.body
    }
}

/// HashiCorp Vault KV v2 metadata over HTTP: `LIST <mount>/metadata/<dir>` (as `GET ?list=true`)
/// recursively, then `GET <mount>/metadata/<path>` for each secret. Never `<mount>/data/…`:
/// values are not requested. The token (from `VAULT_TOKEN`) is sent as `X-Vault-Token` and
/// never printed: this type's descriptions leave it out.
package struct VaultMetadataLister: Sendable, CustomStringConvertible, CustomReflectable {
    package var address: String
    package var mount: String
    package var namespace: String?
    private var token: String
    package var transport: any HTTPTransport

    package init(environment: [String: String], mount: String, transport: any HTTPTransport) throws {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let address = value("VAULT_ADDR") else { throw InventoryError("vault: set VAULT_ADDR (e.g. https://vault.example.com:8200)") }
        guard let token = value("VAULT_TOKEN") else {
            throw InventoryError("vault: set VAULT_TOKEN (a token whose policy allows list and read on \(mount)/metadata/* only is enough)")
        }
        guard let url = URLComponents(string: address), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw InventoryError("vault: VAULT_ADDR '\(address)' is not an http(s) URL")
        }
        self.address = address.hasSuffix("/") ? String(address.dropLast()) : address
        self.mount = mount.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        namespace = value("VAULT_NAMESPACE")
        self.token = token
        self.transport = transport
    }

    package var description: String { "Vault(\(address), mount \(mount), token <redacted>)" }
    package var customMirror: Mirror { Mirror(self, children: ["address": address, "mount": mount], displayStyle: .struct) }

    /// The metadata of every secret under `prefix` (a folder below the mount; empty: all).
    package func listAll(prefix: String = "") throws -> [InventoryEntry] {
        var entries: [InventoryEntry] = []
        var folders = [prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"]
        var visited = 0
        while let folder = folders.popLast() {
            visited += 1
            guard visited <= 100_000 else { throw InventoryError("vault: more than 100000 folders under \(mount)/metadata/\(prefix)") }
            let listing = try get("metadata/" + folder, list: true)
            guard let listing else { continue }  // 404: an empty folder
            let keys = (listing["data"] as? [String: Any])?["keys"] as? [String] ?? []
            var subfolders: [String] = []
            for key in keys.sorted() {
                if key.hasSuffix("/") {
                    subfolders.append(folder + key)
                } else if let document = try get("metadata/" + folder + key, list: false) {
                    entries.append(try InventoryParser.vault(document, path: folder + key, mount: mount, origin: address))
                }
            }
            folders += subfolders.reversed()  // a stack: the first folder is read next
        }
        return entries.sorted { $0.name < $1.name }
    }

    /// GET `<address>/v1/<mount>/<path>`; nil on 404.
    func get(_ path: String, list: Bool) throws -> [String: Any]? {
        let encoded = path.split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? String($0)
        }.joined(separator: "/")
        let url = address + "/v1/" + mount + "/" + encoded + (list ? "?list=true" : "")
        var headers = [("X-Vault-Token", token), ("Accept", "application/json")]
        if let namespace { headers.append(("X-Vault-Namespace", namespace)) }
        let response: HTTPResponse
        do {
            response = try transport.send(HTTPRequest(method: "GET", url: url, headers: headers), timeoutSeconds: 60, sink: nil)
        } catch {
            throw InventoryError("vault: \(address) did not answer (\(error)); check VAULT_ADDR and the network")
        }
        if response.status == 404 { return nil }
        guard (200..<300).contains(response.status) else {
            let text = String(decoding: response.body.prefix(500), as: UTF8.self)
            throw InventoryError(
                "vault: GET /v1/\(mount)/\(path)\(list ? "?list=true" : "") answered HTTP \(response.status): \(text); check VAULT_TOKEN's policy (list, read on \(mount)/metadata/*) and the mount (--mount)"
            )
        }
        guard let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
            throw InventoryError("vault: GET /v1/\(mount)/\(path) did not answer a JSON object; is \(address) a Vault server?")
        }
        return object
    }
}
