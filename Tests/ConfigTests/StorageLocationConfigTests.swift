import Foundation
import Testing
@testable import Config
@testable import ObjectStore

/// `backup.dir` and `lake_mirror` take a directory or s3://; every other path key takes a local
/// path; other schemes are refused naming the key; `backup.s3` never holds a secret.
struct StorageLocationConfigTests {
    @Test func s3LocationsAndSettingsAreRead() throws {
        let config = try HomeBaseConfig.parse(
            """
            {"backup": {"dir": "s3://acme-homebase/backups/", "s3": {"endpoint": "https://r2.example.com", "region": "auto",
              "path_style": false, "access_key_id": "AKIAEXAMPLE", "secret_access_key_env": "HB_SECRET",
              "secret_access_key_file": "secret.txt", "session_token_env": "HB_TOKEN"}},
             "lake_mirror": "s3://acme-lake"}
            """, baseDir: "/etc/homebase")
        #expect(config.backup.dir == "s3://acme-homebase/backups")
        #expect(config.lakeMirror == "s3://acme-lake")
        #expect(
            config.backup.s3
                == S3Settings(
                    endpoint: "https://r2.example.com", region: "auto", pathStyle: false, accessKeyID: "AKIAEXAMPLE", secretAccessKeyEnv: "HB_SECRET",
                    secretAccessKeyFile: "/etc/homebase/secret.txt", sessionTokenEnv: "HB_TOKEN"))
        // A local backup.dir is still resolved against the config's directory.
        #expect(try HomeBaseConfig.parse(#"{"backup": {"dir": "backups"}}"#, baseDir: "/etc/homebase").backup.dir == "/etc/homebase/backups")
        #expect(try HomeBaseConfig.parse(#"{"backup": {"dir": "file:///srv/b"}}"#, baseDir: "/etc/homebase").backup.dir == "/srv/b")
    }

    @Test func otherSchemesAndMisplacedS3AreRefusedNamingTheKey() {
        let cases: [(String, String)] = [
            (#"{"backup": {"dir": "gs://bucket/x"}}"#, "backup.dir"), (#"{"backup": {"dir": "s3:/bucket/x"}}"#, "backup.dir"),
            (#"{"lake_mirror": "http://example.com/x"}"#, "lake_mirror"), (#"{"data_dir": "s3://bucket/x"}"#, "data_dir"),
            (#"{"output_dir": "ftp://host/x"}"#, "output_dir"), (#"{"sources": {"openclaw": ["/ok", "gs://b/x"]}}"#, "sources.openclaw[1]"),
            (#"{"prices": {"file": "https://example.com/prices.json"}}"#, "prices.file"),
            (#"{"backup": {"s3": {"secret_access_key": "abc"}}}"#, "backup.s3.secret_access_key")
        ]
        for (text, key) in cases {
            #expect(throws: (any Error).self) { try HomeBaseConfig.parse(text) }
            do { _ = try HomeBaseConfig.parse(text) } catch let error as ConfigError {
                #expect(error.key == key, "\(text): \(error)")
                #expect(!error.description.contains("\n"))
            } catch { Issue.record("\(text): \(error)") }
        }
    }
}
