import SQLiteStore
/// The file-level traps: malformed and torn lines, compaction with checkpoint copies,
/// successor transcripts, trajectory sidecars, and the `sessions.json` store.
extension AgentGenerator {
    /// A crash mid-append: the start of the last line, a newline, then the whole line again.
    mutating func injectMalformed(_ w: inout SessionWriter) {
        guard let last = w.entryLines.indices.last else { return }
        let range = w.entryLines[last]
        guard range.count > 40 else { return }
        let line = Array(w.sink.bytes[range])
        let cut = rng.int(20...(line.count - 3))
        w.sink.bytes.removeSubrange(range)
        w.sink.raw(line[0..<cut])
        w.sink.byte(0x0A)
        let start = w.sink.count
        w.sink.raw(line)
        w.entryLines[last] = start..<w.sink.count
        w.malformedLines += 1
        manifest.malformed_lines += 1
    }

    /// A compaction entry in the file; with the checkpoint feature, the pre-compaction copy too.
    mutating func compact(_ w: inout SessionWriter, _ state: inout SessionState, emit: (String, [UInt8]) throws -> Void) rethrows {
        if state.features.checkpoint {
            var copy = w.sink.bytes
            if copy.last != 0x0A { copy.append(0x0A) }
            try emit(uuidText(state.sid) + ".checkpoint." + uuidText((rng.next(), rng.next())) + ".jsonl", copy)
            manifest.files["checkpoint", default: 0] += 1
            // The copy is read too: its calls are duplicates, its synthetic and malformed lines count again.
            manifest.duplicate_entries += state.callLines.count
            manifest.synthetic_rows += state.syntheticLines.count
            manifest.malformed_lines += w.malformedLines
            state.features.checkpoint = false
        }
        state.clock += Int64(rng.int(2_000...40_000))
        w.compaction(
            entryMs: state.entryTime(state.clock), tokensBefore: state.context, firstKept: nil,
            fromHook: rng.chance(0.5), pool: TextPool.shared, rng: &rng)
        state.context = rng.int(12_000...30_000)
    }

    /// The live session's last line, cut before its newline: an assistant row still being written.
    mutating func tear(_ w: inout SessionWriter, _ state: inout SessionState) {
        let before = w.sink.count
        let profile = ModelProfile.all[state.profile]
        let draft = CallDraft(
            profile: profile, promptTokens: state.context, newTokens: 400, output: 300, stop: .stop,
            startMs: state.clock + 1_000, rng: &rng)
        w.assistant(entryMs: state.clock + 9_000, call: draft) { s in
            s.raw("{\"type\":\"text\",\"text\":\"")
            TextPool.shared.appendProse(rng.int(200...2000), to: &s, rng: &rng)
            s.raw("\"}")
        }
        w.entryLines.removeLast()
        let length = w.sink.count - before
        let keep = rng.int(10...(length - 10))
        w.sink.bytes.removeSubrange((before + keep)...)
        manifest.torn_lines += 1
    }

    /// A compaction successor `<ts>_<uuid>.jsonl`: header naming the parent, the kept entries
    /// copied with their ids and timestamps, a compaction entry, then new turns.
    mutating func successor(
        parent: SessionWriter, state: inout SessionState, parentName: String,
        emit: (String, [UInt8]) throws -> Void
    ) rethrows {
        let newSid = (rng.next(), rng.next())
        state.clock += Int64(rng.int(5_000...60_000))
        var w = SessionWriter(idSalt: UInt32(truncatingIfNeeded: rng.next()))
        let parentPath = Array((homeSessionsDir + parentName).utf8)
        w.header(
            uuid: newSid, timeMs: state.clock, cwd: "/home/ana/.openclaw/workspace", version: 3,
            parentSession: parentPath)
        w.compaction(
            entryMs: state.clock + 1, tokensBefore: state.context, firstKept: nil, fromHook: false,
            pool: TextPool.shared, rng: &rng)
        let keep = min(parent.entryLines.count - 1, rng.int(4...10))
        for i in (parent.entryLines.count - keep)..<parent.entryLines.count {
            w.copyLine(parent.sink.bytes[parent.entryLines[i]])
            if state.callLines.contains(i) { manifest.duplicate_entries += 1 }
            if state.syntheticLines.contains(i) { manifest.synthetic_rows += 1 }  // counted per line, like the oracle
        }
        state.context = rng.int(12_000...30_000)
        state.callLines = []
        state.syntheticLines = []
        state.features.forcedErrors = []
        state.rewriteBaseMs = nil
        for turn in 1...rng.int(1...3) {
            _ = turnLines(&w, &state, turn: turn, runaway: false)
        }
        var stamp = ByteSink(capacity: 32)
        stamp.isoUTC(state.clock)
        let name =
            String(
                decoding: stamp.bytes.map { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") ? UInt8(ascii: "-") : $0 },
                as: UTF8.self) + "_" + uuidText(newSid) + ".jsonl"
        manifest.files["successor", default: 0] += 1
        manifest.transcript_bytes += Int64(w.sink.count)
        lastWrites.append((name, state.clock))
        try emit(name, w.sink.bytes)
    }

    /// A `.trajectory.jsonl` sidecar: run events that quote assistant messages (must not be counted).
    mutating func trajectory(_ state: SessionState) -> [UInt8] {
        var s = ByteSink(capacity: 4096)
        let profile = ModelProfile.all[state.profile]
        for k in 0..<rng.int(3...8) {
            s.raw("{\"type\":\"trajectory\",\"event\":\"model_call\",\"seq\":"); s.int(k)
            s.raw(",\"ts\":"); s.int(state.clock - Int64(k) * 1_000)
            s.raw(",\"sessionId\":\""); s.uuid(state.sid.0, state.sid.1)
            s.raw("\",\"message\":{\"role\":\"assistant\",\"content\":[],\"api\":\""); s.raw(profile.apiBytes)
            s.raw("\",\"provider\":\""); s.raw(profile.providerBytes)
            s.raw("\",\"model\":\""); s.raw(profile.modelBytes)
            s.raw(
                "\",\"usage\":{\"input\":1200,\"output\":80,\"cacheRead\":0,\"cacheWrite\":0,\"totalTokens\":1280,\"cost\":{\"input\":0.5,\"output\":0.5,\"cacheRead\":0,\"cacheWrite\":0,\"total\":1}},\"stopReason\":\"stop\",\"timestamp\":"
            )
            s.int(state.clock - Int64(k) * 1_000 - 900)
            s.raw("}}\n")
        }
        return s.bytes
    }

    /// `sessions.json`: the store of current sessions (token counters are snapshots, not totals).
    func sessionStore() -> [UInt8] {
        var s = ByteSink(capacity: 8192)
        s.raw("{")
        let recent = store.suffix(12)
        for (k, entry) in recent.enumerated() {
            let profile = ModelProfile.all[entry.profile]
            let key = k == recent.count - 1 ? "agent:\(agentId):main" : entry.key
            s.raw(k == 0 ? "\n  \"" : ",\n  \""); s.escaped(key)
            s.raw("\": {\n    \"sessionId\": \""); s.uuid(entry.sid.0, entry.sid.1)
            s.raw("\",\n    \"updatedAt\": "); s.int(entry.updatedMs)
            s.raw(",\n    \"chatType\": \"direct\",\n    \"sessionFile\": \""); s.escaped(homeSessionsDir)
            s.uuid(entry.sid.0, entry.sid.1)
            s.raw(".jsonl\",\n    \"modelProvider\": \""); s.raw(profile.providerBytes)
            s.raw("\",\n    \"model\": \""); s.raw(profile.modelBytes)
            s.raw("\",\n    \"inputTokens\": 1204,\n    \"outputTokens\": 88,\n    \"totalTokens\": 20916,\n    \"contextTokens\": ")
            s.int(profile.contextLimit)
            s.raw(",\n    \"compactionCount\": 0,\n    \"abortedLastRun\": false\n  }")
        }
        s.raw("\n}\n")
        return s.bytes
    }
}
