import Foundation
import Testing
@testable import SQLiteStore
@testable import Codecs
@testable import Render
@testable import Reports
@testable import TestSupport

/// XLSXWriter and ZipWriter against Python's zipfile, xml.etree and openpyxl.
@Suite struct RenderXLSXTests {
    @Test func crc32CheckValue() {
        // The CRC-32 check value of "123456789" is 0xCBF43926 (the standard's test vector).
        #expect(Zlib.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func zipReadsBackInPythonZipfile() throws {
        let dir = TemporaryDirectory("render-zip")
        defer { dir.remove() }
        var zip = ZipWriter(modifiedMicros: 1_779_372_188_000_000)  // 2026-05-21 14:03:08 UTC
        let big = Array(String(repeating: "home base ", count: 5000).utf8)
        try zip.add("a/deflated.txt", big)
        try zip.add("stored.bin", [0, 1, 2, 255], deflate: false)
        try zip.add("résumé/日本.txt", Array("ok".utf8))
        let path = try RenderOracle.save(zip.finish(), "t.zip", in: dir)
        let out = try PythonOracle.run(
            """
            import zipfile, sys, json
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            print(json.dumps([[i.filename, i.file_size, i.compress_type, list(i.date_time), len(z.read(i.filename)), i.flag_bits & 0x800] for i in z.infolist()]))
            """, [path])
        let rows = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[Any]]
        #expect(rows?.count == 3)
        #expect(rows?[0][0] as? String == "a/deflated.txt")
        #expect(rows?[0][1] as? Int == 50_000)
        #expect(rows?[0][2] as? Int == 8)
        #expect(rows?[0][3] as? [Int] == [2026, 5, 21, 14, 3, 8])
        #expect(rows?[1][2] as? Int == 0)
        #expect(rows?[1][4] as? Int == 4)
        #expect(rows?[2][0] as? String == "résumé/日本.txt")
        #expect(rows?[2][5] as? Int == 0x800)
        #expect(rows?[0][5] as? Int == 0)
    }

    @Test func openpyxlSeesTypedCellsFrozenBoldHeaderAndValidXML() throws {
        let dir = TemporaryDirectory("render-xlsx")
        defer { dir.remove() }
        let tables = [RenderFixtures.typed, ReportTable(title: "Typed cells", columns: [ReportColumn("x")], rows: [[.decimal(.nan, places: 1)]])]
        let bytes = try XLSXWriter().write(tables, title: "T", createdMicros: 1_779_372_188_000_000)
        let path = try RenderOracle.save(bytes, "t.xlsx", in: dir)
        let out = try PythonOracle.run(
            """
            import zipfile, sys, json, datetime, xml.etree.ElementTree as ET
            import openpyxl
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            for name in z.namelist():
                ET.fromstring(z.read(name))  # every part is well-formed XML
            wb = openpyxl.load_workbook(sys.argv[1])
            out = {"sheets": wb.sheetnames}
            ws = wb.worksheets[0]
            out["freeze"] = ws.freeze_panes
            out["bold"] = [c.font.b for c in ws[1]]
            def enc(v):
                if isinstance(v, datetime.datetime): return ["datetime", v.isoformat()]
                return [type(v).__name__, v]
            out["rows"] = [[enc(c.value) for c in row] for row in ws.iter_rows(min_row=2)]
            out["formats"] = [ws.cell(2, i).number_format for i in range(1, 8)]
            out["widths"] = [ws.column_dimensions[l].width for l in "ABCDEFG"]
            out["error"] = wb.worksheets[1]["A2"].value
            print(json.dumps(out))
            """, [path])
        let result = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(result["sheets"] as? [String] == ["Typed cells", "Typed cells (2)"])
        #expect(result["freeze"] as? String == "A2")
        #expect(result["bold"] as? [Bool] == Array(repeating: true, count: 7))
        let rows = try #require(result["rows"] as? [[[Any]]])
        // Row 2: text, int 42, float 1234.5, float 0.125, float -0.5, date 2024-01-01, datetime 2024-01-01 18:00.
        #expect(rows[0].map { $0[0] as? String } == ["str", "int", "float", "float", "float", "datetime", "datetime"])
        #expect(rows[0][1][1] as? Int == 42)
        #expect(rows[0][2][1] as? Double == 1234.5)
        #expect(rows[0][3][1] as? Double == 0.125)
        #expect(rows[0][4][1] as? Double == -0.5)
        #expect(rows[0][5][1] as? String == "2024-01-01T00:00:00")
        #expect(rows[0][6][1] as? String == "2024-01-01T18:00:00")
        #expect(rows[1][0][1] as? String == "say \"hi\", then\nleave")
        #expect(rows[1][1][1] as? Int == -7)
        #expect(rows[1][5][1] as? String == "2024-02-01T00:00:00")
        #expect(rows[1][6][0] as? String == "NoneType")
        #expect((result["formats"] as? [String])?[5] == "yyyy-mm-dd")
        #expect((result["formats"] as? [String])?[3] == "0.00%")  // built-in numFmtId 10
        #expect(result["error"] as? String == "#NUM!")
        #expect((result["widths"] as? [Double])?.allSatisfy { $0 >= 8 } == true)
    }

    @Test func sampleWorkbookEqualsItsCSVs() throws {
        // openpyxl's cell values, turned to text the CSV way, equal Python csv's reading of our CSV files.
        let dir = TemporaryDirectory("render-xlsx-csv")
        defer { dir.remove() }
        let document = ReportSample.document(hostile: true, longTableRows: 30)
        let result = try ReportBundle().write(document, formats: [.xlsx, .csv], directory: dir.path, name: "r")
        #expect(result.files.count == 1 + document.allTables.count)
        let out = try PythonOracle.run(
            """
            import csv, sys, os, json, datetime, openpyxl
            wb = openpyxl.load_workbook(os.path.join(sys.argv[1], "r.xlsx"))
            files = sorted(os.listdir(os.path.join(sys.argv[1], "r-csv")))
            bad = []
            for ws, name in zip(wb.worksheets, files):
                with open(os.path.join(sys.argv[1], "r-csv", name), newline="", encoding="utf-8") as f:
                    rows = list(csv.reader(f))
                for r, row in enumerate(ws.iter_rows(values_only=True)):
                    for c, v in enumerate(row):
                        t = rows[r][c]
                        if v is None: ok = t == ""
                        elif isinstance(v, datetime.datetime): ok = t.startswith(v.date().isoformat()) and (len(t) == 10 or t[11:19] == v.time().isoformat()[:8])
                        elif isinstance(v, (int, float)): ok = abs(float(t) - v) < 1e-9
                        else: ok = t == v or t == "'" + v
                        if not ok: bad.append([ws.title, r, c, repr(v), t])
            print(json.dumps({"sheets": len(wb.worksheets), "files": len(files), "bad": bad}))
            """, [dir.path])
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(summary["sheets"] as? Int == document.allTables.count)
        #expect(summary["files"] as? Int == document.allTables.count)
        #expect((summary["bad"] as? [Any])?.isEmpty == true, "\(summary["bad"] ?? "")")
    }

    @Test func sheetNamesFollowExcelRules() {
        let names = XLSXWriter.sheetNames([
            "Spend: by [model]?", "spend_ by _model__", "History", "'quoted'", "",
            String(repeating: "x", count: 40), String(repeating: "x", count: 40)
        ])
        #expect(names[0] == "Spend_ by _model__")
        #expect(names[1] == "spend_ by _model__ (2)")  // case-insensitive duplicate
        #expect(names[2] == "Sheet History")
        #expect(names[3] == "quoted")
        #expect(names[4] == "Sheet")
        #expect(names[5] == String(repeating: "x", count: 31))
        #expect(names[6] == String(repeating: "x", count: 27) + " (2)")
        #expect(names.allSatisfy { $0.utf16.count <= 31 })
    }

    @Test func cellReferencesAreBijectiveBase26() {
        #expect(XLSXWriter.reference(column: 0, row: 1) == "A1")
        #expect(XLSXWriter.reference(column: 25, row: 2) == "Z2")
        #expect(XLSXWriter.reference(column: 26, row: 3) == "AA3")  // 27th column
        #expect(XLSXWriter.reference(column: 701, row: 4) == "ZZ4")  // 26 + 26·26 = 702 columns
        #expect(XLSXWriter.reference(column: 702, row: 5) == "AAA5")
    }
}
