import Foundation
import HomeBaseCore

/// The bytes of `analysis.json`: pretty-printed, keys sorted, numbers in the shortest form that
/// reads back to the same binary64 value, so the same analysis always gives the same bytes.
package enum AnalysisJSON {
    package static func encode(_ analysis: Analysis) throws -> Data {
        // Byte for byte JSONEncoder's [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes], faster.
        var bytes = try PrettyJSONEncoder().encode(analysis)
        bytes.append(0x0A)
        return Data(bytes)
    }

    package static func decode(_ data: Data) throws -> Analysis {
        try JSONDecoder().decode(Analysis.self, from: data)
    }
}
