/// The config file's `backup.s3` object, as the config reader fills it. The secret itself is
/// never in the config: it is named by an environment variable or a file (mode 0600 advised).
///
///     "backup": { "dir": "s3://my-bucket/homebase", "s3": {
///         "endpoint": "https://<account>.r2.cloudflarestorage.com", "region": "auto",
///         "path_style": false, "access_key_id": "…", "secret_access_key_env": "R2_SECRET" } }
package struct S3Settings: Sendable, Equatable {
    /// `endpoint`: base URL of an S3-compatible service; nil means AWS (`https://s3.<region>.amazonaws.com`).
    package var endpoint: String?
    /// `region`: the signing region (`auto` for R2, the location for GCS is ignored: use `auto` or `us-east-1`).
    package var region: String?
    /// `path_style`: `https://host/bucket/key` instead of `https://bucket.host/key`.
    package var pathStyle: Bool?
    /// `access_key_id`.
    package var accessKeyID: String?
    /// `secret_access_key_env`: the environment variable holding the secret.
    package var secretAccessKeyEnv: String?
    /// `secret_access_key_file`: a file holding the secret (surrounding whitespace is dropped).
    package var secretAccessKeyFile: String?
    /// `session_token_env`: the environment variable holding a session token, for temporary keys.
    package var sessionTokenEnv: String?

    package init(
        endpoint: String? = nil, region: String? = nil, pathStyle: Bool? = nil, accessKeyID: String? = nil,
        secretAccessKeyEnv: String? = nil, secretAccessKeyFile: String? = nil, sessionTokenEnv: String? = nil
    ) {
        self.endpoint = endpoint
        self.region = region
        self.pathStyle = pathStyle
        self.accessKeyID = accessKeyID
        self.secretAccessKeyEnv = secretAccessKeyEnv
        self.secretAccessKeyFile = secretAccessKeyFile
        self.sessionTokenEnv = sessionTokenEnv
    }
}
