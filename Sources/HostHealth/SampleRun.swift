/// `homebase sample`: one sample appended to the spool, or with `every`/`duration` a loop of
/// them on a fixed schedule (`t0`, `t0 + every`, … while before `t0 + duration`), the clock and
/// the sleeper injected so tests run instantly.
package struct SampleRun: Sendable {
    package var sampler: HostSampler
    package var spool: SampleSpool
    /// Seconds between samples in loop mode; nil = one sample.
    package var everySeconds: Double?
    /// How long the loop runs, in seconds; nil with `everySeconds` set = one sample.
    package var durationSeconds: Double?

    package init(sampler: HostSampler, spool: SampleSpool, everySeconds: Double? = nil, durationSeconds: Double? = nil) {
        self.sampler = sampler
        self.spool = spool
        self.everySeconds = everySeconds
        self.durationSeconds = durationSeconds
    }

    /// What a run wrote.
    package struct Summary: Sendable {
        package var samples: [HostSample] = []
        package var warnings: [String] = []
    }

    /// Takes the samples, appending each to the spool and saving the counters after each.
    /// `clock` returns microseconds since the epoch; `sleep` takes seconds.
    package func run(clock: () -> Int64, sleep: (Double) -> Void) throws -> Summary {
        var summary = Summary()
        var state = SamplerState.load(from: spool.statePath)
        let start = clock()
        let every = everySeconds.map { Int64($0 * 1_000_000) } ?? 0
        let end = start + (durationSeconds.map { Int64($0 * 1_000_000) } ?? 0)
        var tick: Int64 = 0
        repeat {
            let due = start + tick * every
            let now = clock()
            if due > now { sleep(Double(due - now) / 1_000_000) }
            let outcome = try sampler.sample(previous: state, clock: clock, sleep: sleep)
            try spool.append(outcome.sample)
            try outcome.state.save(to: spool.statePath)
            state = outcome.state
            summary.samples.append(outcome.sample)
            summary.warnings += outcome.warnings
            tick += 1
        } while every > 0 && start + tick * every < end
        return summary
    }

    /// Parses `60s`, `15m`, `2h`, `1d` or plain seconds (`90`, `0.5`); nil when malformed or ≤ 0.
    package static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var number = Substring(text), unit = 1.0
        if let last = text.last, let factor = units[last] {
            number = text.dropLast()
            unit = factor
        }
        guard let value = Double(number), value.isFinite, value > 0 else { return nil }
        return value * unit
    }
}
