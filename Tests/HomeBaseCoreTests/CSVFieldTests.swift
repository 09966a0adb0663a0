import Testing
@testable import HomeBaseCore

/// The one CSV quoting rule, by hand: RFC 4180 quoting and the OWASP formula guard.
@Suite struct CSVFieldTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("crlf\r\nlines", "\"crlf\r\nlines\""),  // one Character in Swift, two bytes here
        ("lone\rreturn", "\"lone\rreturn\""),
        ("a,\u{301}b", "\"a,\u{301}b\""),  // a comma followed by a combining acute accent
        ("\"\u{301}", "\"\"\"\u{301}\""),
        ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
        ("+1+2", "'+1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2.5E-3", "-2.5E-3"),
        ("-", "'-"),
        ("", "")
    ])
    func textFields(input: String, expected: String) {
        #expect(CSVField.text(input) == expected)
    }

    @Test func numericLiterals() {
        for yes in ["-7", "+3", "3.", ".5", "1e10", "-2.5E-3", "0"] { #expect(CSVField.isNumericLiteral(yes), "\(yes)") }
        for no in ["", "-", ".", "e5", "1e", "-1+2", "1,5", " 1", "0x10", "--1"] { #expect(!CSVField.isNumericLiteral(no), "\(no)") }
    }
}
