import Foundation
import Testing
@testable import Ingest
@testable import TestSupport
@testable import HomeBaseCore

/// Which files of a state directory are transcripts, which are excluded, which are skipped.
@Suite struct OpenClawDiscoveryTests {
    func touch(_ dir: TemporaryDirectory, _ relative: String) throws {
        let path = dir.file(relative)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: Data("{}\n".utf8))
    }

    @Test func findsEveryTranscriptSpellingAndNothingElse() throws {
        let dir = TemporaryDirectory("homebase-discovery")
        defer { dir.remove() }
        let names = [
            // read
            "agents/main/sessions/7c1e2a90-55d3-4f0e-9a41-0b6de2f3c811.jsonl",
            "agents/main/sessions/5ff28ac9-a8f1-4a41-a6f1-62f56eda6ff0-topic-1769386216.470969.jsonl",
            "agents/main/sessions/a1fde9f2-e290-4c68-9316-988d2ee3618b.jsonl.reset.2026-02-21T22-17-04.079Z",
            "agents/demo/sessions/6836035d-0000-4000-8000-000000000000.jsonl.deleted.2026-04-05T02-50-43.732Z",
            "agents/demo/sessions/2026-06-20T14-03-55-900Z_b8f2d6aa-3c10-4d7e-b5e9-91c04e7f2a6d.jsonl",
            "sessions/0f0f0f0f-1111-4222-8333-444444444444.jsonl",
            "agents/main/sessions/e3dfeea5-010d-445e-9989-94cbe249719e.jsonl.deleted.2026-03-05T16-36-36.944Z.zst",
            "agents/main/sessions/7c1e2a90-55d3-4f0e-9a41-0b6de2f3c811.checkpoint.0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6.jsonl",
            "agents/main/sessions/session-sqlite-import-archive/old.jsonl",
            // OpenClaw 2026.8+ archive names: <sid>.jsonl.<reason>.<ts>.<generation>[.zst], hashed when the id is unsafe
            "agents/main/sessions/b0b0b0b0-0000-4000-8000-000000000000.jsonl.reset.2026-09-01T10-00-00.000Z.3fa9c2d1",
            "agents/main/sessions/session-9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jsonl.deleted.2026-09-02T11-00-00.000Z.77aa01ff.zst",
            // skipped: a .zst that is no transcript archive
            "agents/main/sessions/22ef2eb9-0000-4000-8000-000000000000.jsonl.full_backup.zst",
            // excluded
            "agents/main/sessions/sessions.json",
            "agents/main/sessions/sessions.json.bak.1",
            "agents/main/sessions/7c1e2a90-55d3-4f0e-9a41-0b6de2f3c811.trajectory.jsonl",
            "agents/main/sessions/7c1e2a90-55d3-4f0e-9a41-0b6de2f3c811.trajectory-path.json",
            "agents/main/sessions/7c1e2a90-55d3-4f0e-9a41-0b6de2f3c811.jsonl.bak.2026-03-01",
            "agents/main/sessions/7c1e2a90-55d3-4f0e-9a41-0b6de2f3c811.jsonl.lock",
            "agents/main/sessions/22ef2eb9-0000-4000-8000-000000000000.jsonl.full_backup",
            "agents/main/agent/models.json",
            "agents/main/sessions/notes.txt"
        ]
        for name in names { try touch(dir, name) }
        let (files, skipped) = try TranscriptDiscovery.transcripts(stateDir: dir.path)
        let got = files.map {
            (
                $0.path.replacingOccurrences(of: dir.path + "/", with: ""), $0.agentId, $0.fileSessionId, $0.kind,
                $0.compressed, $0.imported
            )
        }
        let expected: [(String, String, String, TranscriptFile.Kind, Bool, Bool)] = [
            (
                "agents/demo/sessions/2026-06-20T14-03-55-900Z_b8f2d6aa-3c10-4d7e-b5e9-91c04e7f2a6d.jsonl", "demo",
                "2026-06-20T14-03-55-900Z_b8f2d6aa-3c10-4d7e-b5e9-91c04e7f2a6d", .primary, false, false
            ),
            (
                "agents/demo/sessions/6836035d-0000-4000-8000-000000000000.jsonl.deleted.2026-04-05T02-50-43.732Z", "demo",
                "6836035d-0000-4000-8000-000000000000", .deleted, false, false
            ),
            (
                "agents/main/sessions/5ff28ac9-a8f1-4a41-a6f1-62f56eda6ff0-topic-1769386216.470969.jsonl", "main",
                "5ff28ac9-a8f1-4a41-a6f1-62f56eda6ff0", .topic, false, false
            ),
            (
                "agents/main/sessions/7c1e2a90-55d3-4f0e-9a41-0b6de2f3c811.checkpoint.0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6.jsonl", "main",
                "7c1e2a90-55d3-4f0e-9a41-0b6de2f3c811", .checkpoint, false, false
            ),
            (
                "agents/main/sessions/7c1e2a90-55d3-4f0e-9a41-0b6de2f3c811.jsonl", "main", "7c1e2a90-55d3-4f0e-9a41-0b6de2f3c811", .primary, false,
                false
            ),
            (
                "agents/main/sessions/a1fde9f2-e290-4c68-9316-988d2ee3618b.jsonl.reset.2026-02-21T22-17-04.079Z", "main",
                "a1fde9f2-e290-4c68-9316-988d2ee3618b", .reset, false, false
            ),
            (
                "agents/main/sessions/b0b0b0b0-0000-4000-8000-000000000000.jsonl.reset.2026-09-01T10-00-00.000Z.3fa9c2d1", "main",
                "b0b0b0b0-0000-4000-8000-000000000000", .reset, false, false
            ),
            (
                "agents/main/sessions/e3dfeea5-010d-445e-9989-94cbe249719e.jsonl.deleted.2026-03-05T16-36-36.944Z.zst", "main",
                "e3dfeea5-010d-445e-9989-94cbe249719e", .deleted, true, false
            ),
            (
                "agents/main/sessions/session-9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jsonl.deleted.2026-09-02T11-00-00.000Z.77aa01ff.zst",
                "main", "session-9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", .deleted, true, false
            ),
            ("agents/main/sessions/session-sqlite-import-archive/old.jsonl", "main", "old", .primary, false, true),
            ("sessions/0f0f0f0f-1111-4222-8333-444444444444.jsonl", "main", "0f0f0f0f-1111-4222-8333-444444444444", .legacy, false, false)
        ]
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) {
            #expect(g.0 == e.0 && g.1 == e.1 && g.2 == e.2 && g.3 == e.3 && g.4 == e.4 && g.5 == e.5, "\(g) vs \(e)")
        }
        #expect(skipped.map { ($0.path as NSString).lastPathComponent } == ["22ef2eb9-0000-4000-8000-000000000000.jsonl.full_backup.zst"])
        #expect(skipped.first?.reason.contains("not a transcript archive") == true)
    }

    @Test func missingStateDirIsAnErrorNamingThePath() {
        let error = #expect(throws: TranscriptDiscovery.DiscoveryError.self) {
            _ = try TranscriptDiscovery.transcripts(stateDir: "/nonexistent/state-dir")
        }
        #expect(
            error?.description
                == "/nonexistent/state-dir: state directory not found; set OPENCLAW_STATE_DIR or --state-dir to the OpenClaw state directory (e.g. ~/.openclaw)"
        )
    }

    @Test func gatewayLogsByName() throws {
        let dir = TemporaryDirectory("homebase-gwlogs")
        defer { dir.remove() }
        for name in [
            "openclaw-2026-05-20.log", "openclaw-2026-05-19.log", "clawdbot-2026-03-05.log", "gateway.log", "openclaw.json",
            "openclaw-2026-05-20.log.gz"
        ] {
            try touch(dir, name)
        }
        let logs = try TranscriptDiscovery.gatewayLogs(directory: dir.path).map { ($0 as NSString).lastPathComponent }
        #expect(logs == ["clawdbot-2026-03-05.log", "openclaw-2026-05-19.log", "openclaw-2026-05-20.log"])
    }

    /// The byte search behind file classification: ranges must land on the right characters
    /// when a name has multi-byte characters before the match.
    @Test func byteSearchFindsNeedlesAfterMultiByteCharacters() {
        let name = "séance-topic-2.jsonl.reset.2026-06-01T10-00-00.000Z"
        let jsonl = TranscriptDiscovery.find(".jsonl", in: name)
        #expect(jsonl.map { String(name[..<$0.lowerBound]) } == "séance-topic-2")
        #expect(jsonl.map { String(name[$0.upperBound...]) } == ".reset.2026-06-01T10-00-00.000Z")
        #expect(TranscriptDiscovery.find("-topic-", in: "séance-topic-2").map { String("séance-topic-2"[..<$0.lowerBound]) } == "séance")
        #expect(TranscriptDiscovery.find(".bak", in: "a.jsonl") == nil)
        #expect(TranscriptDiscovery.find(".jsonl", in: ".json") == nil)
        #expect(TranscriptDiscovery.find("x", in: "") == nil)
        #expect(
            TranscriptDiscovery.find(".jsonl", in: "ab.jsonl.jsonl").map {
                "ab.jsonl.jsonl".distance(from: "ab.jsonl.jsonl".startIndex, to: $0.lowerBound)
            } == 2)
    }
}

/// A session file whose name is not UTF-8 cannot be read under a text path: it is reported as
/// unreadable with the fix, not skipped without a word.
@Suite struct UndecodableNameTests {
    @Test func aNonUTF8NameIsReportedWithTheFix() throws {
        let fixture = IngestFixture()
        defer { fixture.dir.remove() }
        try fixture.write(agent: "main", file: "good.jsonl", "")
        let sessions = (fixture.sessionPath(agent: "main", file: "x") as NSString).deletingLastPathComponent
        let bad = Array(sessions.utf8) + Array("/bad-".utf8) + [0xFF] + Array("-name.jsonl".utf8) + [0]
        let fd = bad.withUnsafeBufferPointer {
            open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644)
        }
        #expect(fd >= 0)
        close(fd)
        let (files, _) = try TranscriptDiscovery.transcripts(stateDir: fixture.stateDir)
        #expect(files.map(\.path).sorted() == [sessions + "/bad-\\xff-name.jsonl", sessions + "/good.jsonl"])
        #expect(files.map { $0.unreadable != nil } == files.map { $0.path.hasSuffix("bad-\\xff-name.jsonl") })
        #expect(files.allSatisfy { $0.status != nil })  // stat found the file by its raw name
        let summary = try fixture.ingest()
        #expect(summary.filesUnreadable.count == 1)
        #expect(summary.filesUnreadable.first?.contains("not valid UTF-8") == true)
        #expect(summary.filesUnreadable.first?.contains("rename") == true)
    }
}
