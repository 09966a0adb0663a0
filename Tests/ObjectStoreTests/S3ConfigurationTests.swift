import Foundation
@testable import ObjectStore
import Testing

/// Where credentials, region and endpoint come from, and that the secret is never printed.
@Suite struct S3ConfigurationTests {
    private let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzzSECRETzz"

    @Test func environment() throws {
        let configuration = try S3Configuration.resolve(environment: [
            "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE1234", "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": "tok",
            "AWS_DEFAULT_REGION": "eu-central-1"
        ])
        #expect(configuration.host == "s3.eu-central-1.amazonaws.com")
        #expect(configuration.scheme == "https")
        #expect(configuration.region == "eu-central-1")
        #expect(configuration.addressing == .virtualHosted)
        #expect(configuration.credentials.accessKeyID == "AKIAEXAMPLE1234")
        #expect(configuration.credentials.secretAccessKey.value == secret)
        #expect(configuration.credentials.sessionToken?.value == "tok")
        // AWS_REGION wins over AWS_DEFAULT_REGION; AWS_ENDPOINT_URL_S3 over AWS_ENDPOINT_URL.
        let custom = try S3Configuration.resolve(environment: [
            "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "auto", "AWS_DEFAULT_REGION": "eu-central-1",
            "AWS_ENDPOINT_URL": "https://ignored.example", "AWS_ENDPOINT_URL_S3": "https://ACCOUNT.r2.cloudflarestorage.com"
        ])
        #expect(custom.region == "auto")
        #expect(custom.host == "account.r2.cloudflarestorage.com")
        #expect(custom.addressing == .virtualHosted)
        let local = try S3Configuration.resolve(environment: [
            "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "AWS_ENDPOINT_URL": "http://127.0.0.1:9000"
        ])
        #expect(local.region == "us-east-1")
        #expect(local.endpoint == "http://127.0.0.1:9000")
        #expect(local.addressing == .path)
    }

    @Test func configFileSettingsOverrideTheEnvironment() throws {
        let settings = S3Settings(
            endpoint: "https://storage.googleapis.com", region: "auto", pathStyle: true, accessKeyID: "GOOG1EKEY",
            secretAccessKeyEnv: "HB_GCS_SECRET")
        let configuration = try S3Configuration.resolve(
            settings: settings,
            environment: [
                "AWS_ACCESS_KEY_ID": "other", "AWS_SECRET_ACCESS_KEY": "other", "HB_GCS_SECRET": secret, "AWS_REGION": "eu-west-1"
            ])
        #expect(configuration.credentials.accessKeyID == "GOOG1EKEY")
        #expect(configuration.credentials.secretAccessKey.value == secret)
        #expect(configuration.region == "auto")
        #expect(configuration.host == "storage.googleapis.com")
        #expect(configuration.addressing == .path)
        let fromFile = try S3Configuration.resolve(
            settings: S3Settings(accessKeyID: "k", secretAccessKeyFile: "/etc/hb/secret"), environment: [:],
            readFile: { path in
                #expect(path == "/etc/hb/secret"); return "  \(self.secret)\n"
            })
        #expect(fromFile.credentials.secretAccessKey.value == secret)
    }

    @Test func missingOrBrokenSettingsFailLoudlyWithTheFix() {
        func failure(_ settings: S3Settings?, _ environment: [String: String]) -> String {
            do {
                _ = try S3Configuration.resolve(settings: settings, environment: environment, readFile: { _ in throw CocoaError(.fileNoSuchFile) });
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(
            failure(nil, [:])
                == "no S3 credentials: export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or set backup.s3.access_key_id and backup.s3.secret_access_key_env in the config"
        )
        #expect(failure(nil, ["AWS_ACCESS_KEY_ID": "k"]).hasPrefix("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"))
        #expect(
            failure(S3Settings(accessKeyID: "k", secretAccessKeyEnv: "NOPE"), [:]).hasPrefix(
                "backup.s3.secret_access_key_env names NOPE, which is not set"))
        #expect(
            failure(S3Settings(accessKeyID: "k", secretAccessKeyFile: "/nope"), [:]).hasPrefix("cannot read backup.s3.secret_access_key_file /nope"))
        #expect(failure(S3Settings(accessKeyID: "k"), [:]).hasPrefix("backup.s3.access_key_id is set but not its secret"))
        #expect(
            failure(S3Settings(endpoint: "ftp://x"), ["AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"]).hasPrefix(
                "endpoint 'ftp://x' is not an http(s)://host[:port] URL"))
    }

    /// Every way a value gets printed shows `<redacted>` instead of the secret or token.
    @Test func secretsAreRedactedEverywhere() throws {
        let configuration = try S3Configuration.resolve(environment: [
            "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE1234", "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": "SESSIONzzTOKEN"
        ])
        var dumped = ""
        dump(configuration, to: &dumped)
        var dumpedCredentials = ""
        dump(configuration.credentials, to: &dumpedCredentials)
        let renderings = [
            "\(configuration)", String(reflecting: configuration), dumped, dumpedCredentials,
            "\(configuration.credentials)", String(reflecting: configuration.credentials),
            "\(configuration.credentials.secretAccessKey)", String(reflecting: configuration.credentials.secretAccessKey),
            "\(Mirror(reflecting: configuration.credentials).children.map { "\($0)" })"
        ]
        for text in renderings {
            #expect(!(text.contains(secret)), "\(text)")
            #expect(!(text.contains("SESSIONzzTOKEN")), "\(text)")
        }
        #expect("\(configuration.credentials)" == "S3Credentials(access key id ***********1234, secret <redacted>, session token <redacted>)")
    }
}
