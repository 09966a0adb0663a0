import Foundation
import Testing
@testable import HomeBaseCore
@testable import HostHealth
@testable import Pipeline
@testable import HomeBaseCLI
@testable import TestSupport

/// `homebase sample --every D --for D` as cron runs it, on the fixture /proc with a clock that
/// moves only when the command sleeps: one sample per interval, in one process.
@Suite struct SampleCommandTests {
    final class FakeClock: @unchecked Sendable {
        private let lock = NSLock()
        private var micros: Int64
        init(_ micros: Int64) { self.micros = micros }
        var now: Int64 { lock.withLock { micros } }
        func advance(_ seconds: Double) { lock.withLock { micros += Int64((seconds * 1_000_000).rounded()) } }
    }

    static func command(_ clock: FakeClock) -> SampleCommand {
        var command = SampleCommand()
        command.proc = ProcFS(root: HealthEndToEndTests.fixtureProc, ticksPerSecond: 100)
        command.host = "fixture-host"
        command.clock = { clock.now }
        command.sleep = { clock.advance($0) }
        command.environment = [:]
        return command
    }

    @Test func everyAndForTakeOneSamplePerInterval() throws {
        let dir = TemporaryDirectory("homebase-sample-cli")
        defer { dir.remove() }
        try #"{"data_dir": "data"}"#.write(toFile: dir.file("homebase.json"), atomically: true, encoding: .utf8)
        let start: Int64 = 1_800_000_000_000_000
        let clock = FakeClock(start)
        let console = Console.capturing()
        let code = try Self.command(clock).run(["--config", dir.file("homebase.json"), "--every", "60s", "--for", "5m"], console: console)
        #expect(code == .success || code == .warnings, "\(console.capturedErr)")
        // Due at 0, 60, 120, 180 and 240 s; the one at 300 s is the next cron slot's.
        let samples = try SampleSpool(dataDir: dir.file("data")).read().samples
        #expect(samples.count == 5)
        let gaps = zip(samples.dropFirst(), samples).map { $0.tsMicros - $1.tsMicros }
        #expect(gaps == Array(repeating: 60_000_000, count: 4), "\(gaps)")
        #expect(samples.allSatisfy { $0.host == "fixture-host" })
        #expect(clock.now - start >= 240_000_000 && clock.now - start < 300_000_000)
    }

    @Test func everyAndForAreUsageErrorsAlone() throws {
        let dir = TemporaryDirectory("homebase-sample-cli")
        defer { dir.remove() }
        try #"{"data_dir": "data"}"#.write(toFile: dir.file("homebase.json"), atomically: true, encoding: .utf8)
        for arguments in [["--every", "60s"], ["--for", "15m"], ["--every", "0s", "--for", "1m"], ["--every", "soon", "--for", "1m"]] {
            let console = Console.capturing()
            #expect(throws: UsageError.self, "\(arguments)") {
                try Self.command(FakeClock(0)).run(["--config", dir.file("homebase.json")] + arguments, console: console)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: SampleSpool(dataDir: dir.file("data")).spoolPath))
    }
}
