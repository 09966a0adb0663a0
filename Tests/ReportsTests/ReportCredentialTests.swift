import Foundation
import Testing
@testable import HomeBaseCore
@testable import Config
@testable import Analytics
@testable import Render
@testable import Reports

/// `CredentialStatus.check` and `ReportTimeFrame.resolve` on a constructed calendar, every answer
/// worked out by hand in the comments.
@Suite struct ReportCredentialTests {
    static func day(_ text: String) -> Int64 { UTCDate.parseDate(text) ?? .min }

    static func key(_ id: String, created: String = "2026-01-01", expires: String? = nil, rotate: Int? = nil) -> HomeBaseConfig.Credential {
        var credential = HomeBaseConfig.Credential(keyID: id, provider: "openai", created: created)
        credential.expires = expires
        credential.rotateAfterDays = rotate
        return credential
    }

    @Test func statusesOnAConstructedCalendar() {
        // Today 2026-03-15, warning window 14 days.
        let today = Self.day("2026-03-15")
        let keys = [
            Self.key("none"),  // no expiry, no rule → ok, nothing due
            Self.key("exp-far", expires: "2026-03-30"),  // 15 days > 14 → ok, 15
            Self.key("exp-edge", expires: "2026-03-29"),  // 14 days → expiring, 14
            Self.key("exp-today", expires: "2026-03-15"),  // works through today → expiring, 0
            Self.key("exp-past", expires: "2026-03-14"),  // yesterday → expired, −1
            Self.key("rot-soon", created: "2026-01-01", rotate: 80),  // 01-01 + 80 = 03-22: 7 days → rotate_soon, 7
            Self.key("rot-due", created: "2026-01-01", rotate: 73),  // 01-01 + 73 = 03-15: due today → rotation_overdue, 0
            Self.key("rot-far", created: "2026-03-01", rotate: 90),  // 03-01 + 90 = 05-30: 76 days → ok, 76
            // Both: rotation 01-01 + 30 = 01-31 overdue (−43), expiry 03-20 expiring (5): expiring is more severe.
            Self.key("both", created: "2026-01-01", expires: "2026-03-20", rotate: 30),
            // Both fine: expiry 04-30 (46 days), rotation 03-01 + 50 = 04-20 (36 days): ok, showing the nearer 36.
            Self.key("both-ok", created: "2026-03-01", expires: "2026-04-30", rotate: 50),
            Self.key("bad", expires: "soon")  // unreadable → ok with a problem
        ]
        let got = CredentialStatus.check(keys, today: today, warnDays: 14)
        let summary = got.map { "\($0.keyID) \($0.status.rawValue) \($0.daysLeft.map(String.init) ?? "-") \($0.dueDate ?? "-")" }
        #expect(
            summary == [
                "none ok - -", "exp-far ok 15 2026-03-30", "exp-edge expiring 14 2026-03-29", "exp-today expiring 0 2026-03-15",
                "exp-past expired -1 2026-03-14", "rot-soon rotate_soon 7 2026-03-22", "rot-due rotation_overdue 0 2026-03-15",
                "rot-far ok 76 2026-05-30", "both expiring 5 2026-03-20", "both-ok ok 36 2026-04-20", "bad ok - -"
            ])
        #expect(got.last?.problem == "expires 'soon' is not YYYY-MM-DD")
        // A zero-day window: 03-29 (14 days) is no longer "expiring".
        #expect(CredentialStatus.check([Self.key("x", expires: "2026-03-29")], today: today, warnDays: 0).first?.status == .ok)
    }

    @Test func periodsResolveToTheRightDays() throws {
        let today = Self.day("2026-03-01")  // a Sunday; yesterday is 2026-02-28
        func text(_ f: ReportTimeFrame) -> String {
            [f.current.firstDay, f.current.lastDay, f.previousFirstDay, f.previousLastDay].map { UTCDate.dateString(days: $0) }.joined(separator: " ")
                + " " + f.slug
        }
        #expect(text(try .resolve(period: .daily, from: nil, to: nil, today: today)) == "2026-02-28 2026-02-28 2026-02-27 2026-02-27 2026-02-28")
        // 7 days ending 02-28: 02-22…02-28; previous 02-15…02-21.
        #expect(
            text(try .resolve(period: .weekly, from: nil, to: nil, today: today))
                == "2026-02-22 2026-02-28 2026-02-15 2026-02-21 2026-02-22_2026-02-28")
        // Yesterday 02-28 is February's last day, so February counts; previous is January.
        #expect(text(try .resolve(period: .monthly, from: nil, to: nil, today: today)) == "2026-02-01 2026-02-28 2026-01-01 2026-01-31 2026-02")
        // --to 2026-01-15 is not a month's end: the last full month is December 2025, previous November.
        #expect(
            text(try .resolve(period: .monthly, from: nil, to: Self.day("2026-01-15"), today: today))
                == "2025-12-01 2025-12-31 2025-11-01 2025-11-30 2025-12")
        // Explicit 03-10…03-19 (10 days): previous 02-28…03-09.
        #expect(
            text(try .resolve(period: .weekly, from: Self.day("2026-03-10"), to: Self.day("2026-03-19"), today: today))
                == "2026-03-10 2026-03-19 2026-02-28 2026-03-09 2026-03-10_2026-03-19")
        #expect(throws: RenderError.self) {
            try ReportTimeFrame.resolve(period: .daily, from: Self.day("2026-03-02"), to: Self.day("2026-03-01"), today: today)
        }
    }
}
