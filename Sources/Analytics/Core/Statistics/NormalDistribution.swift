import Foundation

/// The standard normal distribution: the tail probabilities and the interval multipliers the
/// trend test and the forecast intervals need.
package enum NormalDistribution {
    /// z for a central 80% interval (Φ⁻¹(0.9)).
    package static let z80 = 1.2815515655446004
    /// z for a central 95% interval (Φ⁻¹(0.975)).
    package static let z95 = 1.959963984540054

    /// Two-sided p-value of a standard normal statistic: 2·(1 − Φ(|z|)) = erfc(|z|/√2).
    package static func twoSidedP(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }
}
