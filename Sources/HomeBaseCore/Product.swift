/// The product's name and version, in one place for `--version` and the files we write.
package enum Product {
    package static let name = "homebase"
    package static let version = "0.1.0"
    /// The Parquet footer's `created_by`, in the `name version x (build y)` form parquet-java's
    /// `VersionParser` (and Spark, Trino, Hive through it) reads to decide which known writer bugs
    /// to work around; a bare name leaves those readers guessing.
    package static let parquetCreatedBy = "\(name) version \(version) (build swift)"
}
