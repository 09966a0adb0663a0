import Foundation
import HomeBaseCore
import SQLiteStore
import Render

/// Renders one `ReportDocument` into files: `<name>.html`, `<name>.pdf`, `<name>.xlsx`, `<name>-csv/NN-table.csv`,
/// `<name>.eml` (the mail carries the findings, the PDF and one XLSX workbook). Every file is written atomically.
package struct ReportBundle: Sendable {
    /// Who the e-mail is from and to; required for the `eml` format.
    package struct Mail: Sendable {
        package var from: MailAddress
        package var to: [MailAddress]
        package var subject: String?
        package init(from: MailAddress, to: [MailAddress], subject: String? = nil) {
            self.from = from
            self.to = to
            self.subject = subject
        }
    }

    package struct Result: Sendable {
        package var files: [String] = []
        package var warnings: [String] = []
    }

    package var pageSize: PDFWriter.PageSize = .a4
    package var mail: Mail?
    /// Seeds the e-mail's Message-ID and boundaries.
    package var seed: UInt64 = 0
    /// The config's `reports.font` (a .ttf path, or `standard`); `HOMEBASE_FONT` wins over it (see `PDFFontSet.resolve`).
    package var font: String?
    /// The config's `reports.csv_bom`: CSVs start with a UTF-8 byte-order mark (for Excel on Windows).
    package var csvByteOrderMark = false

    package init(pageSize: PDFWriter.PageSize = .a4, mail: Mail? = nil, seed: UInt64 = 0) {
        self.pageSize = pageSize
        self.mail = mail
        self.seed = seed
    }

    package func write(_ document: ReportDocument, formats: [ReportFormat], directory: String, name: String) throws -> Result {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var result = Result()
        func save(_ bytes: [UInt8], _ file: String) throws {
            let path = (directory as NSString).appendingPathComponent(file)
            try AtomicFile.write(Data(bytes), to: path)
            result.files.append(path)
        }
        let tables = document.allTables
        // The PDF (the largest part: fonts subset, pages laid out) is made on a thread of its own
        // while the CSV, the workbook and the HTML are made here.
        let (font, pageSize) = (font, pageSize)
        let pdfWork =
            formats.contains(.pdf) || formats.contains(.eml)
            ? BackgroundWork { () throws -> (output: PDFWriter.Output, warnings: [String]) in
                var warnings: [String] = []
                let (fonts, fontWarning) = PDFFontSet.resolve(override: font)
                if let fontWarning { warnings.append(fontWarning) }
                let output = try PDFWriter(pageSize: pageSize, fonts: fonts).write(document)
                if output.replacedCharacters > 0 {
                    let which = fonts.isEmbedded ? "the embedded fonts" : "the standard fonts"
                    warnings.append("PDF: \(output.replacedCharacters) characters \(which) cannot show are printed as '?' (the HTML shows them)")
                }
                return (output, warnings)
            } : nil
        let csvWriter = CSVWriter(byteOrderMark: csvByteOrderMark, zone: document.zone)
        var csvFiles: [(String, [UInt8])] = []
        for (index, table) in tables.enumerated() {
            csvFiles.append((CSVWriter.fileName(for: table, index: index), try csvWriter.write(table)))
        }
        var xlsx: [UInt8]?
        if (formats.contains(.xlsx) || formats.contains(.eml)) && !tables.isEmpty {
            xlsx = try XLSXWriter(zone: document.zone).write(tables, title: document.title, createdMicros: document.generatedAtMicros)
        }
        let html = formats.contains(.html) ? Array(try HTMLRenderer().render(document).utf8) : []
        var pdf: PDFWriter.Output?
        if let made = try pdfWork?.wait() {
            result.warnings += made.warnings
            pdf = made.output
        }
        for format in formats {
            switch format {
            case .html: try save(html, name + ".html")
            case .pdf: if let pdf { try save(pdf.bytes, name + ".pdf") }
            case .csv:
                try FileManager.default.createDirectory(
                    atPath: (directory as NSString).appendingPathComponent(name + "-csv"), withIntermediateDirectories: true)
                for (file, bytes) in csvFiles { try save(bytes, name + "-csv/" + file) }
            case .xlsx:
                guard let xlsx else { result.warnings.append("XLSX: the report has no tables; no workbook written"); continue }
                try save(xlsx, name + ".xlsx")
            case .eml:
                guard let mail else { throw RenderError("the eml format needs a sender and recipients (mail settings)") }
                var attachments: [MailAttachment] = []
                if let pdf { attachments.append(MailAttachment(filename: name + ".pdf", contentType: "application/pdf", data: pdf.bytes)) }
                // One workbook (a sheet per table) rather than a CSV per table.
                if let xlsx {
                    attachments.append(
                        MailAttachment(
                            filename: name + ".xlsx", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data: xlsx))
                }
                let message = ReportMail.message(document, from: mail.from, to: mail.to, subject: mail.subject, attachments: attachments)
                try save(try MIMEWriter(seed: seed, domain: ReportMail.messageIDDomain(mail.from)).write(message), name + ".eml")
            }
        }
        return result
    }
}

/// The report e-mail for a document: headline numbers and the findings, as text and as simple HTML saying the same.
package enum ReportMail {
    /// The sender's domain for the Message-ID when it looks real (a dot; letters, digits, "-" and "."), else `homebase.invalid`.
    package static func messageIDDomain(_ from: MailAddress) -> String {
        guard let at = from.address.lastIndex(of: "@") else { return "homebase.invalid" }
        let domain = from.address[from.address.index(after: at)...].lowercased()
        let plain =
            !domain.isEmpty && domain.contains(".") && !domain.hasPrefix(".") && !domain.hasSuffix(".")
            && domain.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
        return plain ? domain : "homebase.invalid"
    }

    package static func message(
        _ document: ReportDocument, from: MailAddress, to: [MailAddress], subject: String?,
        attachments: [MailAttachment]
    ) -> MailMessage {
        var text = document.title + "\n" + document.period.text + "\n\n"
        let width = document.metrics.map(\.label.count).max() ?? 0
        for metric in document.metrics {
            text += metric.label + String(repeating: " ", count: width - metric.label.count + 2) + metric.valueText
            text += metric.deltaText.isEmpty ? "\n" : "  (" + metric.deltaText + ")\n"
        }
        if !document.notes.isEmpty { text += "\n" + document.notes.joined(separator: "\n") + "\n" }
        for group in document.findings?.groups ?? [] {
            text += "\n" + group.heading + "\n"
            for line in group.lines { text += "- " + line + "\n" }
        }
        let note = attachments.isEmpty ? "" : "Attached: " + attachments.map(\.filename).joined(separator: ", ") + "."
        text += "\n" + note + "\n"
        let html = HTMLRenderer().mailSummary(document, attachmentsNote: note)
        // Untrusted text may hold line breaks; a subject is one line.
        let line = (subject ?? (document.title + ": " + document.period.text)).map { $0.isNewline ? " " : $0 }
        return MailMessage(
            from: from, to: to, subject: String(line), text: text, html: html, attachments: attachments,
            dateMicros: document.generatedAtMicros)
    }
}
