/// Every transcript source an ingest found, by kind, and what became of it: read (new bytes or
/// rows), unchanged since the last run, or not read (each of those also named in a warning).
/// It is how the summary accounts for every copy of a call, so nothing is left out silently.
package struct SourceKindCounts: Codable, Sendable, Equatable {
    package enum Kind: String, Codable, Sendable, CaseIterable {
        /// Live, topic, successor, checkpoint and legacy `*.jsonl` files.
        case jsonl
        /// Reset/deleted archive files, both spellings, plain or `.zst`.
        case archiveFile = "archive_file"
        /// `session_transcript_archives` rows of an OpenClaw SQLite store (published or pending).
        case archiveRow = "archive_row"
        /// `transcript_events` sessions of an OpenClaw SQLite store.
        case storeEvents = "store_events"
        /// JSONL under `sessions/session-sqlite-import-archive/`.
        case importArchive = "import_archive"
    }

    package struct Tally: Codable, Sendable, Equatable {
        package var found = 0
        package var read = 0
        package var unchanged = 0
        package var notRead = 0

        enum CodingKeys: String, CodingKey { case found, read, unchanged, notRead = "not_read" }
    }

    package var tallies: [String: Tally] = [:]

    package init() {}

    package subscript(kind: Kind) -> Tally {
        get { tallies[kind.rawValue] ?? Tally() }
        set { tallies[kind.rawValue] = newValue }
    }

    /// A source of `kind` was found; `outcome` says what happened to it.
    package mutating func count(_ kind: Kind, _ outcome: Outcome) {
        var tally = self[kind]
        tally.found += 1
        switch outcome {
        case .read: tally.read += 1
        case .unchanged: tally.unchanged += 1
        case .notRead: tally.notRead += 1
        }
        self[kind] = tally
    }

    package enum Outcome: Sendable { case read, unchanged, notRead }

    package func encode(to encoder: Encoder) throws { try tallies.encode(to: encoder) }
    package init(from decoder: Decoder) throws { tallies = try [String: Tally](from: decoder) }

    /// `jsonl 12 (3 read, 9 unchanged), archive_row 4 (4 read), …` for the text summary.
    package var text: String {
        Kind.allCases.compactMap { kind -> String? in
            let t = self[kind]
            guard t.found > 0 else { return nil }
            var parts: [String] = []
            if t.read > 0 { parts.append("\(t.read) read") }
            if t.unchanged > 0 { parts.append("\(t.unchanged) unchanged") }
            if t.notRead > 0 { parts.append("\(t.notRead) NOT READ") }
            return "\(kind.rawValue) \(t.found) (" + parts.joined(separator: ", ") + ")"
        }.joined(separator: ", ")
    }
}
