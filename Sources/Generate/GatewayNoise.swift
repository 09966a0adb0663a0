import HomeBaseCore
import SQLiteStore

/// Background gateway lines unrelated to calls: heartbeats, websocket traffic with ANSI colour
/// codes, and a failed restart captured from the console, as real logs carry them.
enum GatewayNoise {
    static func add(to log: inout GatewayLog, options: GeneratorOptions, rng: inout SplitMix64) {
        for dayIndex in 0..<options.days {
            let day = options.startDay + Int64(dayIndex)
            for hour in 0..<24 {
                let base = day * 86_400_000 + Int64(hour) * 3_600_000
                log.subsystem(base + Int64(rng.below(60_000)), "gateway/heartbeat", level: "INFO") { s in
                    s.raw("heartbeat ok: channels=2 agents="); s.int(options.agents)
                }
                if rng.chance(0.4) {
                    log.subsystem(base + Int64(rng.below(3_600_000)), "gateway/ws", level: "INFO") { s in
                        s.raw("\\u001b[32m⇄\\u001b[39m \\u001b[1mres\\u001b[22m ✓ \\u001b[1mchat.send\\u001b[22m ")
                        s.int(rng.int(3...400)); s.raw("ms conn=")
                        s.hex(rng.next(), digits: 8); s.raw("…"); s.hex(rng.next(), digits: 4)
                    }
                }
            }
            if Int64(dayIndex) == Int64(options.days / 3) {
                log.console(
                    day * 86_400_000 + 4 * 3_600_000, level: "ERROR",
                    text: "Gateway failed to start: gateway already running (pid 48213); lock timeout after 5000ms")
            }
        }
    }
}
