import Foundation
import Testing
import HomeBaseCore
import TestSupport
@testable import HostHealth

/// The sampler against this machine's real `/proc`, with the test process itself playing the
/// gateway; figures checked against `ps`, `sysconf` and Python's `os.statvfs`.
@Suite struct RealProcTests {
    @Test func samplesThisMachine() throws {
        let proc = ProcFS()
        let ownName = try #require(proc.comm(getpid()))
        var sampler = HostSampler(
            proc: proc, disks: [.init(label: "tmp", path: NSTemporaryDirectory())],
            gateway: GatewayLocator(processName: ownName), host: "test")
        sampler.ownPid = -1
        sampler.fallbackWindowSeconds = 0.2
        let outcome = try sampler.sample(previous: nil, clock: SystemClock.nowMicros, sleep: { Thread.sleep(forTimeInterval: $0) })
        let s = outcome.sample
        let busy = try #require(s.cpuBusyPercent)
        #expect(busy >= 0 && busy <= 100)
        #expect(s.cpuCount == sysconf(Int32(_SC_NPROCESSORS_CONF)))
        #expect(s.memTotalBytes == Int64(sysconf(Int32(_SC_PHYS_PAGES))) * Int64(sysconf(Int32(_SC_PAGESIZE))))
        #expect(s.memAvailableBytes > 0 && s.memAvailableBytes <= s.memTotalBytes)
        #expect(s.uptimeSeconds > 0)

        let gateway = try #require(s.gateway)
        // The first process with our name may be another test runner; check whichever it is with ps.
        let (status, out, _) = PythonOracle.launch("/usr/bin/ps", ["-o", "etimes=,nlwp=", "-p", String(gateway.pid)], stdin: nil)
        #expect(status == 0)
        let fields = out.split(separator: " ", omittingEmptySubsequences: true).compactMap {
            Int64($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(fields.count == 2)
        let expectedStart = s.tsMicros - fields[0] * 1_000_000
        #expect(abs(gateway.startMicros - expectedStart) <= 2_000_000, "start time within 2 s of ps' elapsed time")
        #expect(gateway.threads >= 1 && (gateway.openFiles ?? 0) >= 3 && (gateway.rssBytes ?? 0) > 0)

        let disk = try #require(s.disks.first)
        let code = "import os,sys; v=os.statvfs(sys.argv[1]); print(v.f_blocks*v.f_frsize)"
        let (pyStatus, pyOut, _) = PythonOracle.launch("/usr/bin/python3", ["-c", code, NSTemporaryDirectory()], stdin: nil)
        #expect(pyStatus == 0)
        #expect(Int64(pyOut.trimmingCharacters(in: .whitespacesAndNewlines)) == disk.totalBytes)
    }
}
