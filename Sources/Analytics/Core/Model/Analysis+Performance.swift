extension Analysis {
    /// Latency of the calls whose latency is known, in milliseconds.
    package struct LatencyStats: Codable, Sendable, Equatable {
        package var n = 0
        package var mean: Double?
        package var p50: Double?
        package var p90: Double?
        package var p95: Double?
        package var p99: Double?
        package var max: Double?
    }

    package struct SlowSession: Codable, Sendable, Equatable {
        package var session_id = ""
        package var agent_id = ""
        package var calls = 0
        package var total_latency_ms = 0.0
        package var max_latency_ms = 0.0
    }

    package struct LatencySection: Codable, Sendable, Equatable {
        package var overall = LatencyStats()
        package var by_agent: [String: LatencyStats] = [:]
        package var by_model: [String: LatencyStats] = [:]
        package var by_provider: [String: LatencyStats] = [:]
        package var by_day: [String: LatencyStats] = [:]
        package var slowest_sessions: [SlowSession] = []
    }

    /// Requests and tokens per second of wall-clock time, and generation speed.
    package struct ThroughputStats: Codable, Sendable, Equatable {
        package var requests = 0
        package var seconds = 0.0
        package var requests_per_s = 0.0
        package var output_tokens_per_s = 0.0
        /// Σ output tokens / Σ latency over calls with a positive latency.
        package var generation_tokens_per_s: Double?
    }

    package struct ThroughputSection: Codable, Sendable, Equatable {
        package var overall = ThroughputStats()
        package var by_agent: [String: ThroughputStats] = [:]
        package var by_model: [String: ThroughputStats] = [:]
        package var by_provider: [String: ThroughputStats] = [:]
        package var by_day: [String: ThroughputStats] = [:]
        /// Hours of the last 7 days before `now`, keyed by local start time with offset.
        package var by_hour: [String: ThroughputStats] = [:]
    }

    package struct ErrorStats: Codable, Sendable, Equatable {
        package var calls = 0
        package var errors = 0
        package var rate: Double?
        package var by_class: [String: Int] = [:]
    }

    package struct ErrorSection: Codable, Sendable, Equatable {
        package var overall = ErrorStats()
        package var by_agent: [String: ErrorStats] = [:]
        package var by_provider: [String: ErrorStats] = [:]
        package var by_model: [String: ErrorStats] = [:]
        package var by_day: [String: ErrorStats] = [:]
    }

    package struct RetrySection: Codable, Sendable, Equatable {
        package var failed_calls = 0
        /// Chains: a failed call that is not itself a retry, plus the attempts after it.
        package var chains = 0
        package var retried_chains = 0
        package var retry_attempts = 0
        package var eventually_succeeded = 0
        package var eventual_success_rate: Double?
        package var attempts_to_success_mean: Double?
        package var attempts_to_success_p50: Double?
        package var attempts_to_success_max: Int?
        package var time_lost_s = 0.0
    }
}
