import Foundation

/// The bytes of `analysis.json`: pretty-printed, keys sorted, numbers in the shortest form that
/// reads back to the same binary64 value, so the same analysis always gives the same bytes.
package enum AnalysisJSON {
    package static func encode(_ analysis: Analysis) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(analysis)
        data.append(0x0A)
        return data
    }

    package static func decode(_ data: Data) throws -> Analysis {
        try JSONDecoder().decode(Analysis.self, from: data)
    }
}
