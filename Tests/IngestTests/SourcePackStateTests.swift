import Testing
@testable import HomeBaseCore
@testable import Ingest
@testable import Lake

/// The parser states ingest writes (`TranscriptParser.State.encoded()`) fit a packed record, so
/// a year's transcripts do not stay rows; a failed entry id JSON has to escape does not.
@Suite struct SourcePackStateTests {
    @Test func theParsersStatesArePacked() {
        var random = SplitMix64(seed: 11)
        for _ in 0..<2000 {
            let session = (0..<5).map { _ in String(random.next() & 0xffff, radix: 16) }.joined(separator: "-")
            let failed = random.below(4) == 0
            let odd = failed && random.below(4) == 0
            let state = TranscriptParser.State(
                sessionId: random.below(5) == 0 ? nil : session,
                lastFailedEntryId: failed ? (odd ? "e\"\(random.below(100))" : "e\(random.below(100))") : nil,
                lastFailedTimestampMicros: failed ? Int64(random.below(1 << 40)) : nil,
                lastUserContentHash: random.below(3) == 0 ? nil : random.next() >> UInt64(random.below(64)))
            let name = ["\(session).jsonl", "\(session)-topic-12.jsonl", "2026-05-25T12-52-09-571Z_\(session).jsonl"][random.below(3)]
            let source = SourceState(
                path: "/state/agents/ops/sessions/" + name, kind: "transcript", size: 9000, mtimeNanos: 1, offset: 9000,
                lineCount: 40, fingerprint: "4096:" + String(random.next(), radix: 16), parserState: state.encoded())
            let record = SourcePack.record(source, name: name[...], snapshot: 1)
            #expect((record == nil) == odd, "\(state.encoded())")
            if let record { #expect(record.state(path: source.path, name: name[...], kind: "transcript") == source) }
        }
    }
}
