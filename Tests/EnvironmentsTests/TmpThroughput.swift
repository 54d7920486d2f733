import EBMEnvironments
import EBMCore
import Foundation
import Testing

@Test func tmpAllocations() {
    let n = Int(ProcessInfo.processInfo.environment["TMP_STEPS"] ?? "0")!
    print("checksum \(Reacher.benchmarkSteps(count: n, seed: 1))")
}
