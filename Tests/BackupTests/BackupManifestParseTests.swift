import Foundation
import Testing

@testable import Backup

/// The manifest reader against `JSONDecoder` over the `Decodable` conformance, the definition
/// it replaces: the same manifest from what both accept, a refusal from what either refuses.
@Suite struct BackupManifestParseTests {
    static let sha = String(repeating: "ab", count: 32)

    static func decoded(_ text: String) -> BackupManifest? {
        try? JSONDecoder().decode(BackupManifest.self, from: Data(text.utf8))
    }

    static func parsed(_ text: String) -> BackupManifest? {
        try? BackupManifest.parse(Array(text.utf8))
    }

    @Test func writtenManifestsReadBackAsJSONDecoderReadsThem() throws {
        let files = (0..<500).map { i in
            BackupManifest.File(
                path: i == 0 ? "catalog.sqlite" : "tables/requests/date=2026-01-\(i % 28 + 1)/part-\(i)-1.parquet", size: Int64(i * 977),
                sha256: Self.sha, archive: "homebase-backup-20260101T000000Z.tar.gz")
        }
        for (snapshot, committed) in [(Int64?(7), Int64?(1_700_000_000_000_000)), (nil, nil)] {
            let manifest = BackupManifest(
                archive: "homebase-backup-20260102T000000Z.tar.gz", createdMicros: -5, snapshot: snapshot,
                snapshotCommittedMicros: committed, files: files)
            let bytes = try manifest.encoded()
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(Self.decoded(text) == manifest)
            #expect(try BackupManifest.parse(bytes) == manifest)
            #expect(try BackupManifest.decode(bytes, source: "x") == manifest)
        }
    }

    @Test(arguments: [
        // accepted by both
        #"{"format":"homebase-backup/1","archive":"a","created_us":1,"files":[]}"#,
        #"{"format":"f","archive":"a","created_us":1,"files":[],"snapshot":null,"snapshot_committed_us":null,"extra":{"x":[1,2]}}"#,
        #"  {"files":[{"path":"p\/q","size":0,"sha256":"s","archive":"a","more":true}],"format":"f","archive":"a","created_us":-3,"snapshot":4} "#,
        #"{"format":"\u0066","archive":"a","created_us":1,"files":[]}"#,
        // an entry's archive equal to the previous one's, escaped or not, and keys escaped
        #"{"format":"f","archive":"a","created_us":1,"files":[{"path":"p","size":1,"sha256":"s","archive":"b"},{"path":"q","size":1,"sha256":"s","archive":"b"},{"path":"r","size":1,"sha256":"s","archive":"\u0062"},{"path":"t","size":1,"sha256":"s","archive":"bb"},{"path":"u","size":1,"sha256":"s","\u0061rchive":"b"},{"path":"v","size":1,"sha256":"s","archive":""},{"path":"w","size":1,"sha256":"s","archive":""}]}"#,
        #"{"format":"f","archive":"a","created_us":1,"files":[{"path":"p","size":1,"sha256":"s","archive":"b"},{"path":"q","size":1,"sha256":"s","archive":7}]}"#,
        // refused by both
        #"{"format":"f","archive":"a","files":[]}"#,
        #"{"format":"f","archive":"a","created_us":"1","files":[]}"#,
        #"{"format":"f","archive":"a","created_us":1.5,"files":[]}"#,
        #"{"format":"f","archive":"a","created_us":1,"files":{}}"#,
        #"{"format":"f","archive":"a","created_us":1,"files":[{"path":"p","size":1,"sha256":"s"}]}"#,
        #"{"format":"f","archive":"a","created_us":1,"files":[{"path":"p","size":"1","sha256":"s","archive":"a"}]}"#,
        #"{"format":"f","archive":"a","created_us":1,"files":[],"snapshot":"7"}"#,
        #"{"format":7,"archive":"a","created_us":1,"files":[]}"#,
        #"{"format":"f","archive":"a","created_us":1,"files":[]} trailing"#,
        #"{"format":"f","archive":"a","created_us":1,"files":[]"#,
        #"[{"format":"f","archive":"a","created_us":1,"files":[]}]"#,
        #"{"format":"f","archive":"a","created_us":99999999999999999999,"files":[]}"#,
        ""
    ])
    func agreesWithJSONDecoder(_ text: String) {
        let theirs = Self.decoded(text), ours = Self.parsed(text)
        #expect(ours == theirs, "JSONDecoder: \(String(describing: theirs)); parse: \(String(describing: ours))")
    }

    @Test func aRefusalNamesTheKey() {
        #expect(throws: (any Error).self) { try BackupManifest.parse(Array(#"{"format":"f","archive":"a","files":[]}"#.utf8)) }
        do {
            _ = try BackupManifest.parse(Array(#"{"format":"f","archive":"a","created_us":"x","files":[]}"#.utf8))
        } catch {
            #expect("\(error)".contains("created_us"))
        }
    }
}
