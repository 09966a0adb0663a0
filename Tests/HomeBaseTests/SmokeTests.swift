import Testing
@testable import HomeBase
@Suite struct SmokeTests { @Test func version() { #expect(!CommandLineTool.version.isEmpty) } }
