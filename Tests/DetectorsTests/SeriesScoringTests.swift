import Foundation
import Testing
import TestSupport
@testable import Detectors

@Suite struct SeriesScoringTests {
    @Test func writesOneLinePerPointWithTheThreeColumnsFirst() throws {
        let dir = TemporaryDirectory("detectors-score")
        defer { dir.remove() }
        var text = "timestamp,value\n"
        for i in 0..<30 { text += String(format: "2026-01-%02dT00:00:00+01:00,%@\n", i + 1, i == 25 ? "" : i == 27 ? "190" : "100") }
        text += "\n"
        let input = dir.file("in.csv"), output = dir.file("out.csv")
        FileManager.default.createFile(atPath: input, contents: Data(text.utf8))
        let summary = try scoreSeries(input: input, output: output)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.first == "timestamp,value,anomaly_score,status,expected")
        #expect(lines.count == 31)
        #expect(lines[1] == "2026-01-01T00:00:00+01:00,100.0,,warming_up,")
        #expect(lines[25].hasPrefix("2026-01-25T00:00:00+01:00,100.0,0.000000,scored,100"))
        #expect(lines[26].hasPrefix("2026-01-26T00:00:00+01:00,,,missing,"))
        // A flat 100 and then 190: scale floor 1, z = 90, score = 1/(1 + (4/90)^4) → 0.999996 to 6 places.
        #expect(lines[28].hasPrefix("2026-01-28T00:00:00+01:00,190.0,0.999996,scored,100"))
        #expect(summary.points == 30 && summary.warmingUp == 21 && summary.missing == 1 && summary.scored == 8 && summary.alerts == 1)
        #expect(summary.season == "none")
    }

    @Test func badLinesStopOrAreCountedButNeverDropped() throws {
        let dir = TemporaryDirectory("detectors-score")
        defer { dir.remove() }
        let input = dir.file("in.csv"), output = dir.file("out.csv")
        FileManager.default.createFile(atPath: input, contents: Data("timestamp,value\n2026-01-01,1\n2026-01-02,x\n2026-01-03,3\n".utf8))
        do {
            _ = try scoreSeries(input: input, output: output)
            Issue.record("expected the bad line to stop the run")
        } catch {
            #expect(error.line == 3 && error.code == .badValue && error.description.hasPrefix(input + ":3: "))
        }
        #expect(!FileManager.default.fileExists(atPath: output), "no half-written output")
        let summary = try scoreSeries(input: input, output: output, skipBadLines: true)
        #expect(summary.points == 2 && summary.badLineCount == 1 && summary.badLines.first?.line == 3)
    }
}
