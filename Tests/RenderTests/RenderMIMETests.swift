import Foundation
import Testing
@testable import SQLiteStore
@testable import Render
@testable import Reports
@testable import TestSupport

/// MIMEWriter against Python's email package (policy.default and compat32): structure, decoded headers,
/// byte-identical attachments, no defects; plus line rules and header-injection refusals.
@Suite struct RenderMIMETests {
    static let pdfBytes: [UInt8] = (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    static let csvBytes = Array("\"a\",1\r\n\"b\",-2\r\n".utf8)

    func message(
        subject: String = "Weekly report – Zoë’s fleet 📈 spend up 12.3% on every agent, every model, every day",
        attachmentName: String = "Rapport hebdomadaire Résumé € 2026 – 日本語のファイル名.csv"
    ) -> MailMessage {
        MailMessage(
            from: MailAddress("reports@example.com", name: "Home Base «reports»"),
            to: [MailAddress("ops@example.com", name: "Ops \"team\""), MailAddress("finance@example.org")],
            subject: subject, text: "Spend $1,234.50\n.\nA long line " + String(repeating: "é=x ", count: 40) + "end \nlast",
            html: "<p>Spend <b>$1,234.50</b></p>\n<p>" + String(repeating: "naïve ", count: 30) + "</p>",
            attachments: [
                MailAttachment(filename: "report.pdf", contentType: "application/pdf", data: Self.pdfBytes),
                MailAttachment(filename: attachmentName, contentType: "text/csv", data: Self.csvBytes)
            ],
            dateMicros: 1_779_372_188_000_000)
    }

    @Test func pythonEmailParsesStructureHeadersAndAttachments() throws {
        let input = message()
        let bytes = try MIMEWriter(seed: 42).write(input)
        let out = try PythonOracle.run(
            """
            import sys, json, email, hashlib
            from email import policy
            from email.utils import parsedate_to_datetime
            raw = sys.stdin.buffer.read()
            m = email.message_from_bytes(raw, policy=policy.default)
            old = email.message_from_bytes(raw, policy=policy.compat32)
            parts = list(m.walk())
            res = {
              "subject": m["Subject"], "from": str(m["From"]),
              "to": [[a.display_name, a.addr_spec] for a in m["To"].addresses],
              "date": parsedate_to_datetime(m["Date"]).timestamp(), "msgid": m["Message-ID"], "auto": m["Auto-Submitted"],
              "types": [p.get_content_type() for p in parts],
              "defects": sum(len(p.defects) for p in parts),
              "text": m.get_body(("plain",)).get_content(), "html": m.get_body(("html",)).get_content(),
              "attachments": [[a.get_filename(), a.get_content_type(), a.get_payload(decode=True).hex()] for a in m.iter_attachments()],
              "compat_names": [p.get_filename() for p in old.walk() if p.get_filename()],
            }
            print(json.dumps(res))
            """, stdin: Data(bytes))
        let r = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(r["subject"] as? String == input.subject)
        #expect(r["from"] as? String == "Home Base «reports» <reports@example.com>")
        #expect(r["to"] as? [[String]] == [["Ops \"team\"", "ops@example.com"], ["", "finance@example.org"]])
        #expect(r["date"] as? Double == 1_779_372_188)
        #expect((r["msgid"] as? String)?.hasSuffix("@homebase.invalid>") == true)
        #expect(r["auto"] as? String == "auto-generated")
        #expect(r["types"] as? [String] == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf", "text/csv"])
        #expect(r["defects"] as? Int == 0)
        // Our hard line breaks are CRLF on the wire; Python gives them back as CRLF, so compare with LF restored.
        #expect((r["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == input.text)
        #expect((r["html"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == input.html)
        let attachments = try #require(r["attachments"] as? [[String]])
        #expect(attachments.map { $0[0] } == ["report.pdf", input.attachments[1].filename])
        #expect(attachments[0][2] == Self.pdfBytes.map { String(format: "%02x", $0) }.joined())
        #expect(attachments[1][2] == Self.csvBytes.map { String(format: "%02x", $0) }.joined())
        #expect(r["compat_names"] as? [String] == ["report.pdf", input.attachments[1].filename])
    }

    @Test func linesAreCRLFShortAndASCII() throws {
        let bytes = try MIMEWriter(seed: 1).write(message())
        #expect(bytes.allSatisfy { $0 < 0x80 })
        let text = String(decoding: bytes, as: UTF8.self)
        // No bare LF or CR: removing every CRLF leaves none.
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains(where: { $0 == "\n" || $0 == "\r" }))
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.count <= 76 }, "\(lines.filter { $0.count > 76 })")
        #expect(lines.contains("Date: Thu, 21 May 2026 14:03:08 +0000"))
        // A text line holding only "." is written =2E so sendmail does not end the message there.
        #expect(!lines.contains("."))
        #expect(try MIMEWriter(seed: 1).write(message()) == bytes)
        #expect(try MIMEWriter(seed: 2).write(message()) != bytes)
    }

    @Test func headerInjectionIsRefused() {
        let writer = MIMEWriter(seed: 1)
        #expect(throws: RenderError.self) { try writer.write(message(subject: "Hi\r\nBcc: victim@example.net")) }
        #expect(throws: RenderError.self) { try writer.write(message(subject: "nul\0byte")) }
        #expect(throws: RenderError.self) { try writer.write(message(attachmentName: "a\nb.csv")) }
        var bad = message()
        bad.to = [MailAddress("ops@example.com\r\nBcc: x@y.z")]
        #expect(throws: RenderError.self) { try writer.write(bad) }
        bad.to = [MailAddress("two@at@example.com")]
        #expect(throws: RenderError.self) { try writer.write(bad) }
        bad.to = [MailAddress("ops@example.com", name: "Ops\nBcc: x@y.z")]
        #expect(throws: RenderError.self) { try writer.write(bad) }
        bad.to = []
        #expect(throws: RenderError.self) { try writer.write(bad) }
    }

    @Test func datesAreRFC5322() {
        // 0 is Thursday 1 January 1970; 951_782_400 s is Tuesday 29 February 2000 (a leap day).
        #expect(MIMEWriter.date(micros: 0) == "Thu, 1 Jan 1970 00:00:00 +0000")
        #expect(MIMEWriter.date(micros: 951_782_400_000_000) == "Tue, 29 Feb 2000 00:00:00 +0000")
        #expect(MIMEWriter.date(micros: -1_000_000) == "Wed, 31 Dec 1969 23:59:59 +0000")
    }

    @Test func sampleReportMailCarriesThePDFAndOneXLSX() throws {
        let dir = TemporaryDirectory("render-eml")
        defer { dir.remove() }
        let mail = ReportBundle.Mail(from: MailAddress("reports@Mail.Example.com"), to: [MailAddress("ops@example.com")])
        var document = ReportSample.document(hostile: true)
        document.findings = ReportFindings(groups: [
            .init(heading: "Alerts", lines: ["CRITICAL: Budget 104% used (fleet) — <b>$104</b>"]),
            .init(heading: "Top agents by spend", lines: ["wechat-assistant: $0.21 (+90.4% vs $0.11 previous), 37 calls"])
        ])
        let result = try ReportBundle(mail: mail, seed: 3).write(document, formats: [.pdf, .xlsx, .csv, .eml], directory: dir.path, name: "weekly")
        let out = try PythonOracle.run(
            """
            import sys, os, json, email
            from email import policy
            d = sys.argv[1]
            m = email.message_from_bytes(open(os.path.join(d, "weekly.eml"), "rb").read(), policy=policy.default)
            same = []
            for a in m.iter_attachments():
                name = a.get_filename()
                same.append([name, a.get_content_type(), open(os.path.join(d, name), "rb").read() == a.get_payload(decode=True)])
            print(json.dumps({"subject": m["Subject"], "same": same, "defects": sum(len(p.defects) for p in m.walk()),
                              "msgid": m["Message-ID"], "text": m.get_body(("plain",)).get_content(), "html": m.get_body(("html",)).get_content()}))
            """, [dir.path])
        let r = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(r["defects"] as? Int == 0)
        #expect(r["subject"] as? String == "Fleet report <script>alert(1)</script>: 2026-04-20 to 2026-05-17 (4 weeks)")
        let same = try #require(r["same"] as? [[Any]])
        #expect(same.map { $0[0] as? String } == ["weekly.pdf", "weekly.xlsx"])
        #expect(same.map { $0[1] as? String } == ["application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"])
        #expect(same.allSatisfy { $0[2] as? Bool == true })
        #expect(result.files.count == 1 + 1 + 4 + 1)
        // Message-ID on the sender's domain (lower-cased); the findings in both bodies, markup escaped in the HTML.
        #expect((r["msgid"] as? String)?.hasSuffix("@mail.example.com>") == true)
        let text = (r["text"] as? String ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        #expect(text.contains("Alerts\n- CRITICAL: Budget 104% used (fleet) — <b>$104</b>\n"))
        #expect(text.contains("Top agents by spend\n- wechat-assistant: $0.21 (+90.4% vs $0.11 previous), 37 calls\n"))
        let html = r["html"] as? String ?? ""
        #expect(html.contains("<li>CRITICAL: Budget 104% used (fleet) — &lt;b&gt;$104&lt;/b&gt;</li>"))
        #expect(html.contains("<li>wechat-assistant: $0.21 (+90.4% vs $0.11 previous), 37 calls</li>"))
    }

    @Test func csvByteOrderMarkIsWhatExcelNeedsAndChangesNothingElse() throws {
        let dir = TemporaryDirectory("render-csv-bom")
        defer { dir.remove() }
        var bundle = ReportBundle()
        _ = try bundle.write(ReportSample.document(hostile: true), formats: [.csv], directory: dir.path + "/plain", name: "r")
        bundle.csvByteOrderMark = true
        _ = try bundle.write(ReportSample.document(hostile: true), formats: [.csv], directory: dir.path + "/bom", name: "r")
        let out = try PythonOracle.run(
            """
            import sys, os, csv, json
            d = sys.argv[1]
            names = sorted(os.listdir(d + "/plain/r-csv"))
            res = {"names": names == sorted(os.listdir(d + "/bom/r-csv")), "bom": [], "same": []}
            for n in names:
                raw = open(d + "/bom/r-csv/" + n, "rb").read()
                res["bom"].append(raw[:3] == b"\\xef\\xbb\\xbf" and not open(d + "/plain/r-csv/" + n, "rb").read().startswith(b"\\xef"))
                a = list(csv.reader(open(d + "/plain/r-csv/" + n, newline="", encoding="utf-8")))
                b = list(csv.reader(open(d + "/bom/r-csv/" + n, newline="", encoding="utf-8-sig")))
                res["same"].append(a == b)
            print(json.dumps(res))
            """, [dir.path])
        let r = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(r["names"] as? Bool == true)
        let bom = try #require(r["bom"] as? [Bool]), same = try #require(r["same"] as? [Bool])
        #expect(!bom.isEmpty && bom.allSatisfy { $0 } && same.allSatisfy { $0 })
    }

    @Test func messageIDDomainIsTheSendersWhenItLooksReal() {
        #expect(ReportMail.messageIDDomain(MailAddress("hb@example.org")) == "example.org")
        #expect(ReportMail.messageIDDomain(MailAddress("homebase@localhost")) == "homebase.invalid")
        #expect(ReportMail.messageIDDomain(MailAddress("a@b@evil>.com")) == "homebase.invalid")
        #expect(ReportMail.messageIDDomain(MailAddress("a@exa mple.com")) == "homebase.invalid")
    }
}
