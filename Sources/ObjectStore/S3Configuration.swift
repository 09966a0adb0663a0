import Foundation

/// Everything the client needs to reach one S3-compatible service: endpoint, signing region,
/// addressing style, credentials, and the upload/retry knobs. Built by `resolve` from the
/// config's `backup.s3` and the standard AWS environment variables.
package struct S3Configuration: Sendable, CustomStringConvertible {
    /// How the bucket is put in the URL.
    package enum Addressing: String, Sendable { case virtualHosted = "virtual-hosted", path }

    /// `http` or `https`.
    package var scheme: String
    /// Endpoint host without the bucket (`s3.eu-west-1.amazonaws.com`, `127.0.0.1`).
    package var host: String
    package var port: Int?
    package var region: String
    package var addressing: Addressing
    package var credentials: S3Credentials
    /// Objects of at least this many bytes are uploaded in parts.
    package var multipartThreshold = 64 << 20
    /// Bytes per part (S3: at least 5 MiB except the last, at most 10,000 parts). Memory used by an
    /// upload is about one part, whatever the file size.
    package var partSize = 16 << 20
    /// Seconds without progress before a request is abandoned (and retried).
    package var timeoutSeconds = 60.0
    package var retry = RetryPolicy()

    package init(scheme: String = "https", host: String, port: Int? = nil, region: String, addressing: Addressing, credentials: S3Credentials) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.region = region
        self.addressing = addressing
        self.credentials = credentials
    }

    /// The endpoint as a URL string, for messages.
    package var endpoint: String { "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "") }

    package var description: String {
        "S3 endpoint \(endpoint), region \(region), \(addressing.rawValue) addressing, \(credentials)"
    }

    /// Builds the configuration: `settings` (the config file) first, then the environment —
    /// `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, `AWS_REGION` or
    /// `AWS_DEFAULT_REGION` (default `us-east-1`), `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`.
    /// Path-style addressing is the default only for an endpoint that is an IP address or
    /// `localhost` (no DNS for `bucket.host`); `path_style` overrides. Missing credentials throw.
    package static func resolve(
        settings: S3Settings? = nil, environment: [String: String],
        readFile: (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) throws(S3ConfigurationError) -> S3Configuration {
        func env(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let settings = settings ?? S3Settings()
        let credentials: S3Credentials
        if let keyID = settings.accessKeyID {
            let secret: String
            if let name = settings.secretAccessKeyEnv {
                guard let value = env(name) else {
                    throw S3ConfigurationError(
                        "backup.s3.secret_access_key_env names \(name), which is not set",
                        fix: "export \(name) in the environment of homebase (cron included)")
                }
                secret = value
            } else if let file = settings.secretAccessKeyFile {
                do { secret = try readFile(file).trimmingCharacters(in: .whitespacesAndNewlines) } catch {
                    throw S3ConfigurationError(
                        "cannot read backup.s3.secret_access_key_file \(file)",
                        fix: "create it with the secret access key (chmod 600) or fix the path")
                }
                if secret.isEmpty {
                    throw S3ConfigurationError("backup.s3.secret_access_key_file \(file) is empty", fix: "put the secret access key in it")
                }
            } else {
                throw S3ConfigurationError(
                    "backup.s3.access_key_id is set but not its secret",
                    fix: "add backup.s3.secret_access_key_env or backup.s3.secret_access_key_file")
            }
            credentials = S3Credentials(
                accessKeyID: keyID, secretAccessKey: Secret(secret),
                sessionToken: (settings.sessionTokenEnv.flatMap(env)).map(Secret.init))
        } else if let keyID = env("AWS_ACCESS_KEY_ID") {
            guard let secret = env("AWS_SECRET_ACCESS_KEY") else {
                throw S3ConfigurationError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not", fix: "export AWS_SECRET_ACCESS_KEY too")
            }
            credentials = S3Credentials(accessKeyID: keyID, secretAccessKey: Secret(secret), sessionToken: env("AWS_SESSION_TOKEN").map(Secret.init))
        } else {
            throw S3ConfigurationError(
                "no S3 credentials",
                fix:
                    "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or set backup.s3.access_key_id and backup.s3.secret_access_key_env in the config"
            )
        }
        let region = settings.region ?? env("AWS_REGION") ?? env("AWS_DEFAULT_REGION") ?? "us-east-1"
        let endpointText = settings.endpoint ?? env("AWS_ENDPOINT_URL_S3") ?? env("AWS_ENDPOINT_URL")
        var scheme = "https", host = "s3.\(region).amazonaws.com", port: Int?
        if let endpointText {
            guard let components = URLComponents(string: endpointText), let parsedScheme = components.scheme?.lowercased(),
                parsedScheme == "http" || parsedScheme == "https", let parsedHost = components.host, !parsedHost.isEmpty,
                components.path.isEmpty || components.path == "/", components.query == nil
            else {
                throw S3ConfigurationError(
                    "endpoint '\(endpointText)' is not an http(s)://host[:port] URL",
                    fix: "set backup.s3.endpoint or AWS_ENDPOINT_URL_S3 to e.g. https://storage.googleapis.com")
            }
            scheme = parsedScheme
            host = parsedHost.lowercased()
            port = components.port
            if (scheme == "https" && port == 443) || (scheme == "http" && port == 80) { port = nil }
        }
        let isIPOrLocal = host == "localhost" || host.contains(":") || host.split(separator: ".").allSatisfy { $0.allSatisfy(\.isNumber) }
        let addressing: Addressing = (settings.pathStyle ?? isIPOrLocal) ? .path : .virtualHosted
        return S3Configuration(scheme: scheme, host: host, port: port, region: region, addressing: addressing, credentials: credentials)
    }
}
