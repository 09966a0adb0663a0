import Foundation
import Testing
@testable import HomeBaseCore
@testable import Lake
@testable import TestSupport

/// What other engines read from a part's footer before its data: pyarrow reads `created_by`, and
/// the regular expression of parquet-java's `VersionParser` (through which Spark, Trino and Hive
/// decide which writer bugs to work around) must find a name, a version and a build in it.
@Suite struct PartFooterTests {
    @Test func createdByParsesAsParquetJavaExpects() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(Lines.session)
        _ = try fixture.ingest()
        let parts = try Catalog(dataDir: fixture.dataDir, readOnly: true).liveParts(table: "requests").map { fixture.dataDir + "/" + $0.path }
        try #require(!parts.isEmpty)
        let out = try PythonOracle.run(
            """
            import sys, re, pyarrow.parquet as pq
            pattern = re.compile(r"(.*?)\\s+version\\s*(?:([^(]*?)\\s*(?:\\(\\s*build\\s*([^)]*?)\\s*\\))?)?")
            for path in sys.argv[1:]:
                created = pq.ParquetFile(path).metadata.created_by
                m = pattern.fullmatch(created)
                print("|".join(m.groups()) if m else "unparsed " + created)
            """, parts)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.count == parts.count)
        #expect(lines.allSatisfy { $0 == "homebase|\(Product.version)|swift" }, "\(lines)")
    }
}
