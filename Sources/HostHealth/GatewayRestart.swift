/// A change of the gateway's start time (or pid) between two samples in which it ran.
package struct GatewayRestart: Sendable, Equatable {
    /// The first sample showing the new process.
    package var tsMicros: Int64
    package var previousPid: Int32
    package var pid: Int32
    package var startMicros: Int64

    package init(tsMicros: Int64, previousPid: Int32, pid: Int32, startMicros: Int64) {
        self.tsMicros = tsMicros; self.previousPid = previousPid; self.pid = pid; self.startMicros = startMicros
    }

    /// The restarts in `samples` (one host's, any order). Samples without a gateway are skipped,
    /// so a gateway that was down and came back counts once.
    package static func find(_ samples: [HostSample]) -> [GatewayRestart] {
        var restarts: [GatewayRestart] = []
        var last: GatewaySample?
        for sample in samples.sorted(by: { $0.tsMicros < $1.tsMicros }) {
            guard let gateway = sample.gateway else { continue }
            if let last, last.pid != gateway.pid || abs(last.startMicros - gateway.startMicros) > HostSampler.startJitterMicros {
                restarts.append(GatewayRestart(tsMicros: sample.tsMicros, previousPid: last.pid, pid: gateway.pid, startMicros: gateway.startMicros))
            }
            last = gateway
        }
        return restarts
    }
}
