import Foundation
import Testing
@testable import SQLiteStore
@testable import Ingest
@testable import TestSupport

/// `Money` against hand cases and against Python's `decimal` module (an independent exact decimal).
@Suite struct InvoiceMoneyTests {
    @Test func parsesAndPrintsExactly() {
        #expect(Money("0.000004500000000000000000000000000000000")?.description == "0.0000045")
        #expect(Money("0E-6176") == .zero)
        #expect(Money("1.34775e-9")?.description == "0.00000000134775")
        #expect(Money("-12.50")?.description == "-12.5")
        #expect(Money("+.5")?.description == "0.5")
        #expect(Money("3.")?.description == "3")
        #expect(Money("1.2e3")?.description == "1200")
        for bad in ["", "abc", "1,234.5", "NaN", "1e", "--1", "1.2.3"] { #expect(Money(bad) == nil, "\(bad)") }
        // Cents to dollars: "1230.5" cents = 12.305 dollars.
        #expect(Money("1230.5")?.shifted(left: 2).description == "12.305")
        // Half-even to cents: 0.125 → 0.12, 0.135 → 0.14, -0.125 → -0.12, 0.1251 → 0.13.
        #expect(["0.125", "0.135", "-0.125", "0.1251"].compactMap { Money($0)?.rounded(places: 2).description } == ["0.12", "0.14", "-0.12", "0.13"])
        // 0.1 + 0.2 is exactly 0.3 (not 0.30000000000000004).
        #expect((Money("0.1")! + Money("0.2")!).description == "0.3")
        #expect(Money("0.1")! < Money("0.10000000000000000001")!)
    }

    @Test func sumsMatchPythonDecimal() throws {
        // 500 amounts of 0–12 decimals, both signs, some in exponent form, from a fixed LCG seed.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return state >> 33 }
        var texts: [String] = []
        for _ in 0..<500 {
            let whole = next() % 10_000, decimals = Int(next() % 13), fraction = next() % 1_000_000_000_000
            var text = "\(whole)"
            if decimals > 0 {
                let digits = String(String(fraction).padding(toLength: 12, withPad: "0", startingAt: 0).prefix(decimals))
                text += "." + digits
            }
            if next() % 5 == 0 { text = "-" + text }
            if next() % 7 == 0 { text += "e-\(next() % 4)" }
            texts.append(text)
        }
        let sum = texts.reduce(Money.zero) { $0 + Money($1)! }
        let oracle = try PythonOracle.run(
            """
            import sys, decimal
            decimal.getcontext().prec = 200
            total = sum((decimal.Decimal(t) for t in sys.stdin.read().split()), decimal.Decimal(0))
            print(format(total.normalize(), 'f'), format(total.quantize(decimal.Decimal('0.01'), rounding=decimal.ROUND_HALF_EVEN), 'f'))
            """, [], stdin: Data(texts.joined(separator: "\n").utf8)
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(oracle == "\(sum) \(sum.rounded(places: 2))")
    }
}
