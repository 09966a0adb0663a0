import Foundation
@testable import ObjectStore
import TestSupport
import XCTest

/// Kept in XCTest on purpose: XCTest cases run one at a time and before the (parallel) Swift
/// Testing suites, so the process's resident set is this test's alone while it is sampled.
final class UploadMemoryTests: XCTestCase {
    /// Memory stays near the part size whatever the file size: uploading a 48 MiB file in 5 MiB
    /// parts raises this process's resident set (sampled from /proc/self/statm every 2 ms) by well
    /// well under the file size. Reading the whole file would add at least 48 MiB.
    func testUploadMemoryIsBoundedByThePartSize() throws {
        let s3 = try MotoS3.client()
        let directory = TemporaryDirectory("objectstore-memory")
        defer { directory.remove() }
        let path = directory.file("big.bin")
        let digest = try PythonOracle.run(
            """
            import hashlib, os, sys
            data = os.urandom(48 << 20)
            open(sys.argv[1], "wb").write(data)
            print(hashlib.sha256(data).hexdigest())
            """, [path]
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let sampler = ResidentSampler()
        let baseline = ResidentSampler.residentBytes()
        sampler.start()
        let result = try s3.upload(file: path, bucket: "hb-multipart", key: "memory/big.bin", sha256: digest)
        let peak = sampler.stop()
        let growth = peak - baseline
        print("upload of 48 MiB in 5 MiB parts: resident set grew \(growth >> 10) KiB (baseline \(baseline >> 20) MiB)")
        XCTAssertEqual(result.parts, 10)
        // Bounded by the part size, not the file: a reader of the whole file would grow by 48 MiB or more.
        // The bound leaves room for allocator slack and a loaded machine (observed 9-17 MiB).
        XCTAssertLessThan(growth, 28 << 20)
        XCTAssertEqual(
            try MotoS3.check(
                """
                print(hashlib.sha256(s3.get_object(Bucket="hb-multipart", Key="memory/big.bin")["Body"].read()).hexdigest())
                """
            ).trimmingCharacters(in: .whitespacesAndNewlines), digest)
    }
}
