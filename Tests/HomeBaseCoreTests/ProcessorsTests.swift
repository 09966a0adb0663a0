import Foundation
import Testing
@testable import HomeBaseCore

/// The CPU count the parallel stages size themselves by.
@Suite struct ProcessorsTests {
    /// The same count Foundation gives on this machine (affinity and quota included).
    @Test func sameAsFoundation() {
        #expect(Processors.available == ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Quotas as the kernel writes them: v2's "quota period" or "max period", v1's two files.
    @Test func cgroupQuotas() {
        #expect(Processors.quota(cpuMax: "200000 100000", quotaV1: nil, periodV1: nil) == 2)
        #expect(Processors.quota(cpuMax: "150000 100000", quotaV1: nil, periodV1: nil) == 2)  // 1.5 CPUs: rounded up
        #expect(Processors.quota(cpuMax: "50000 100000", quotaV1: nil, periodV1: nil) == 1)
        #expect(Processors.quota(cpuMax: "max 100000", quotaV1: nil, periodV1: nil) == nil)
        #expect(Processors.quota(cpuMax: nil, quotaV1: "-1", periodV1: "100000") == nil)
        #expect(Processors.quota(cpuMax: nil, quotaV1: "300000", periodV1: "100000") == 3)
        #expect(Processors.quota(cpuMax: nil, quotaV1: nil, periodV1: nil) == nil)
        // As read from the files, each ending in a newline.
        #expect(Processors.quota(cpuMax: "250000 100000\n", quotaV1: nil, periodV1: nil) == 3)
        #expect(Processors.quota(cpuMax: "max 100000\n", quotaV1: nil, periodV1: nil) == nil)
        #expect(Processors.quota(cpuMax: nil, quotaV1: "100000\n", periodV1: "100000\n") == 1)
    }

    /// The affinity mask's line as the kernel prints it, 32-bit words separated by commas.
    @Test func affinityMask() {
        #expect(Processors.allowedCPUs(status: "Name:\thomebase\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n") == 2)
        #expect(Processors.allowedCPUs(status: "Cpus_allowed:\tff,ffffffff\n") == 40)
        #expect(Processors.allowedCPUs(status: "Cpus_allowed:\t0000a000,00000001\n") == 3)
        #expect(Processors.allowedCPUs(status: "Name:\tx\n") == nil)
        #expect(Processors.allowedCPUs(status: "Cpus_allowed:\tzz\n") == nil)
    }
}
