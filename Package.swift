// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "HomeBase",
    products: [
        .executable(name: "homebase", targets: ["homebase"]),
    ],
    targets: [
        // MARK: System libraries (module.modulemap + shim.h each)
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", providers: [.apt(["libzstd-dev"])]),

        // MARK: Libraries
        .target(name: "HomeBaseCore"),
        .target(name: "Parquet", dependencies: ["CZlib"]),
        .target(name: "Detectors", dependencies: ["HomeBaseCore"]),
        .target(name: "HomeBase", dependencies: ["HomeBaseCore", "Parquet", "CSQLite", "CZlib", "CZstd"]),

        // MARK: Executable (thin: argument scanning lives in HomeBase/CLI)
        .executableTarget(name: "homebase", dependencies: ["HomeBase"]),

        // MARK: Tests
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "TestSupport"]),
        .testTarget(name: "HomeBaseTests", dependencies: ["HomeBase", "HomeBaseCore", "Parquet", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DetectorsTests", dependencies: ["Detectors", "HomeBaseCore", "TestSupport"]),
        .testTarget(name: "homebaseTests", dependencies: ["homebase", "HomeBase", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
