import Foundation
import HomeBaseCore
import SQLiteStore
import Parquet
import Lake

/// Invoice exports as one more source kind of an ingest run (same snapshot, same `sources`
/// bookkeeping, same quarantine). Whole-file semantics, unlike transcripts: an export that changed
/// is re-read and its rows replaced. Supersession: for each (provider, cost|usage, UTC day) only one
/// file's rows stay live, the newest export by file mtime (then by path); the older file's rows for
/// that day are removed from the lake, so sums over `invoice_lines` never add two snapshots of a day.
extension Ingestor {
    /// Reads new and changed invoice files; returns how many sources changed (0: nothing to commit).
    func ingestInvoices(writer: LakeWriter, snapshot: Int64, retired: inout [Int64]) throws -> Int {
        guard !options.invoiceDirs.isEmpty else { return 0 }
        let aliases = try ModelAliases.load(dataDir: options.dataDir, extra: options.modelAliases)
        let rates = try FXRateTable.load(database: catalog.database)
        var incoming: [IncomingInvoice] = []
        var reread: Set<String> = []
        for path in invoicePaths() {
            var info = stat()
            let known = try catalog.source(path: path)
            guard stat(path, &info) == 0 else {
                summary.filesUnreadable.append("\(path): \(String(cString: strerror(errno)))")
                continue
            }
            let mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            // A file with lines quarantined for want of an exchange rate is read again until they all convert.
            let waitsForRates = known.map { InvoiceSourceState(json: $0.parserState).missingRates } ?? false
            if let known, !waitsForRates, known.size == Int64(info.st_size), known.mtimeNanos == mtime {
                summary.filesSkippedUnchanged += 1  // same size and mtime as when it was read: not read again
                continue
            }
            // One copy of the file in memory (the Data is let go of at once).
            guard let bytes = FileManager.default.contents(atPath: path).map({ [UInt8]($0) }) else {
                summary.filesUnreadable.append("\(path): cannot be read")
                continue
            }
            var hash = FNV1a()
            bytes.withUnsafeBytes { hash.add(bytes: $0) }
            let fingerprint = "\(bytes.count):" + String(hash.value, radix: 16)
            if let known, !waitsForRates, known.fingerprint == fingerprint, known.size == Int64(bytes.count) {
                summary.filesSkippedUnchanged += 1
                continue
            }
            if known != nil {
                reread.insert(path)
                summary.filesRewritten += 1
            }
            do {
                var result = try InvoiceFile.parse(bytes, path: path, aliases: aliases)
                let missingRates = result.convertToUSD(rates)
                var lines: Int64 = 0
                for byte in bytes where byte == 0x0A { lines += 1 }
                let dates = result.lines.map(\.date)
                let keys = zip(result.lines, dates).map { InvoiceKey.of($0.0, date: $0.1) }
                incoming.append(
                    IncomingInvoice(
                        path: path, size: Int64(bytes.count), mtime: mtime, fingerprint: fingerprint,
                        lineCount: lines, result: result, dates: dates, keys: keys, missingRates: !missingRates.isEmpty))
            } catch {
                if error.malformed { summary.filesUnreadable.append("\(path): \(error)") } else { summary.filesIgnored.append("\(path): \(error)") }
            }
        }
        guard !incoming.isEmpty || !reread.isEmpty else { return 0 }

        // Who owns each (provider, dataset, day): the newest file among those already in the lake and those read now.
        let existing = try invoiceSources().filter { !reread.contains($0.key) }
        var owner: [String: (mtime: Int64, path: String)] = [:]
        func consider(_ key: String, _ mtime: Int64, _ path: String) {
            if let current = owner[key], (current.mtime, current.path) >= (mtime, path) { return }
            owner[key] = (mtime, path)
        }
        for (path, state) in existing { for key in state.keys { consider(key, state.mtime, path) } }
        for file in incoming { for key in Set(file.keys) { consider(key, file.mtime, file.path) } }

        // Rows already in the lake that lose their day to a newer export, and files re-read whole.
        var dropByDate: [String: Set<String>] = [:]  // date → "path|provider|dataset"
        var partitions: Set<String> = []  // "table|date"
        for (path, state) in existing.sorted(by: { $0.key < $1.key }) {
            let lost = state.keys.filter { owner[$0]?.path != path }
            guard !lost.isEmpty else { continue }
            for key in lost {
                let parts = InvoiceKey.split(key)
                dropByDate[parts.date, default: []].insert(path + "|" + parts.providerDataset)
                partitions.insert(LakeTable.invoiceLines.name + "|" + parts.date)
            }
            let kept = state.keys.filter { owner[$0]?.path == path }
            try catalog.database.prepare("UPDATE sources SET parser_state = ? WHERE path = ?")
                .run([.text(InvoiceSourceState(format: state.format, keys: kept, missingRates: state.missingRates).json), .text(path)])
        }
        for path in reread {
            for (table, date) in try catalog.sourceDates(path: path)
            where table == LakeTable.invoiceLines.name || table == LakeTable.quarantine.name {
                partitions.insert(table + "|" + date)
            }
        }
        for partition in partitions.sorted() {
            let split = partition.split(separator: "|", maxSplits: 1).map(String.init)
            guard split.count == 2, let table = LakeTable.all.first(where: { $0.name == split[0] }) else { continue }
            try removeInvoiceRows(
                table: table, date: split[1], files: reread, keys: dropByDate[split[1]] ?? [],
                writer: writer, retired: &retired)
        }
        for path in reread { try catalog.forgetSource(path: path) }

        // The new rows: only those of days the file owns.
        for file in incoming.sorted(by: { $0.path < $1.path }) {
            var keys: Set<String> = [], dates: Set<String> = []
            for (i, line) in file.result.lines.enumerated() {
                let key = file.keys[i], date = file.dates[i]
                guard owner[key]?.path == file.path else {
                    summary.invoiceLinesSuperseded += 1
                    continue
                }
                keys.insert(key)
                if dates.insert(date).inserted {
                    try catalog.noteSourceDate(path: file.path, table: LakeTable.invoiceLines.name, date: date)
                }
                try writer.append(.invoiceLines, date: date) { c in InvoiceLineColumns.fill(&c, line) }
                summary.invoiceLines += 1
            }
            for bad in file.result.bad {
                try quarantine(source: file.path, line: bad.line, offset: -1, reason: bad.reason, excerpt: bad.excerpt, writer: writer)
            }
            summary.invoiceFiles += 1
            summary.filesRead += 1
            summary.bytesRead += file.size
            summary.linesRead += file.lineCount
            try catalog.saveSource(
                SourceState(
                    path: file.path, kind: "invoice", size: file.size, mtimeNanos: file.mtime,
                    offset: file.size, lineCount: file.lineCount, fingerprint: file.fingerprint,
                    parserState: InvoiceSourceState(format: file.result.format.rawValue, keys: keys.sorted(), missingRates: file.missingRates).json),
                snapshot: snapshot)
        }
        return incoming.count + reread.count
    }

    /// Export files under the `--invoices` paths: `*.csv` and `*.json` found recursively (hidden
    /// files skipped), and any file named directly; sorted for a deterministic run.
    private func invoicePaths() -> [String] {
        var paths: [String] = []
        for root in options.invoiceDirs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
                summary.filesUnreadable.append("\(root): no such invoice file or directory")
                continue
            }
            guard isDirectory.boolValue else { paths.append(root); continue }
            let walker = FileManager.default.enumerator(atPath: root)
            while let relative = walker?.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                let ext = (name as NSString).pathExtension.lowercased()
                guard !name.hasPrefix("."), ext == "csv" || ext == "json" else { continue }
                let path = root + "/" + relative
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue { paths.append(path) }
            }
        }
        return Array(Set(paths)).sorted()
    }

    /// Invoice sources in the catalog: mtime and the (provider, dataset, day) keys whose rows they hold.
    private func invoiceSources() throws -> [String: (mtime: Int64, format: String, keys: [String], missingRates: Bool)] {
        let statement = try catalog.database.prepare("SELECT path, mtime_ns, parser_state FROM sources WHERE kind = 'invoice'")
        var result: [String: (Int64, String, [String], Bool)] = [:]
        while try statement.step() {
            let state = InvoiceSourceState(json: statement.optionalText(2))
            result[statement.text(0)] = (statement.int64(1), state.format, state.keys, state.missingRates)
        }
        return result
    }

    /// Rewrites the live parts of `table` on `date` without the rows of `files` and of `keys`
    /// (`path|provider|dataset`, invoice_lines only).
    private func removeInvoiceRows(
        table: LakeTable, date: String, files: Set<String>, keys: Set<String>,
        writer: LakeWriter, retired: inout [Int64]
    ) throws {
        let isInvoice = table == .invoiceLines
        guard let fileColumn = table.schema.index(of: isInvoice ? "x_SourceFile" : "source_file") else { return }
        let providerColumn = table.schema.index(of: "ServiceProviderName"), datasetColumn = table.schema.index(of: "x_Dataset")
        for part in try catalog.liveParts(table: table.name, from: date, to: date) where !retired.contains(part.id) {
            let columns = try table.readConformed(path: options.dataDir + "/" + part.path)
            guard case .byteArray(let sources) = columns[fileColumn].values else { continue }
            var keep = [Bool](repeating: true, count: sources.count)
            var superseded = 0
            for row in 0..<sources.count {
                let file = sources.string(at: row)
                if files.contains(file) { keep[row] = false; continue }
                guard isInvoice, !keys.isEmpty, let providerColumn, let datasetColumn,
                    case .byteArray(let providers) = columns[providerColumn].values,
                    case .byteArray(let datasets) = columns[datasetColumn].values
                else { continue }
                let key = file + "|" + InvoiceKey.providerDataset(providers.string(at: row), datasets.string(at: row))
                if keys.contains(key) { keep[row] = false; superseded += 1 }
            }
            guard keep.contains(false) else { continue }
            retired.append(part.id)
            summary.invoiceLinesSuperseded += superseded
            guard keep.contains(true) else { continue }
            try writer.writePart(table, date: date, columns: columns.map { $0.filtered(keep) })
        }
    }
}

/// One export file read in this run.
struct IncomingInvoice {
    var path: String
    var size: Int64
    var mtime: Int64
    var fingerprint: String
    var lineCount: Int64
    var result: InvoiceParseResult
    /// Per line of `result`: its UTC date and its supersession key.
    var dates: [String]
    var keys: [String]
    /// Some money lines had no exchange rate (quarantined): the file is read again next run.
    var missingRates = false
}

/// The order of `LakeTable.invoiceLines` columns, in one place.
enum InvoiceLineColumns {
    static func fill(_ c: inout [ColumnBuilder], _ line: InvoiceLine) {
        c[0].append(line.chargePeriodStart); c[1].append(line.chargePeriodEnd)
        c[2].append(decimal: line.billedCost.flatMap { Decimal128.unscaled(text: $0.description, scale: 18) })
        c[3].append(line.billingCurrency); c[4].append(line.serviceProviderName)
        c[5].append(line.chargeCategory); c[6].append(line.chargeDescription)
        c[7].append(line.consumedQuantity); c[8].append(line.consumedUnit); c[9].append(line.subAccountId)
        c[10].append(line.model); c[11].append(line.tokenType?.rawValue); c[12].append(line.apiKeyId)
        c[13].append(line.sourceFile); c[14].append(line.sourceLine)
        c[15].append(line.billedCost?.doubleValue); c[16].append(line.modelRaw); c[17].append(line.dataset.rawValue)
        c[18].append(line.sourceFormat.rawValue); c[19].append(line.generationId); c[20].append(line.hostProviderName)
        c[21].append(line.sourceCurrency); c[22].append(line.sourceBilledCost?.description); c[23].append(line.fxRateToUSD?.description)
        c[24].append(line.fxRateDate)
    }
}
