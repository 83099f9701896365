import Foundation

/// Krippendorff's alpha for nominal data with any number of coders and missing values (Krippendorff, "Computing
/// Krippendorff's Alpha-Reliability", 2011): agreement beyond chance, 1 perfect, 0 as by chance.
public enum Krippendorff {
    /// Alpha of a reliability matrix, `data[coder][unit]` (nil: that coder did not code that unit). Units with
    /// fewer than two values are not pairable and do not count. Nil when undefined (no pairable unit, or every
    /// value the same, so no disagreement was possible).
    public static func alphaNominal(_ data: [[Int?]]) -> Double? {
        let units = data.first?.count ?? 0
        var columns: [[Int]] = []
        columns.reserveCapacity(units)
        for unit in 0..<units {
            columns.append(data.compactMap { $0.indices.contains(unit) ? $0[unit] : nil })
        }
        return alpha(units: columns)
    }

    /// Alpha over units given as their values (missing ones left out).
    static func alpha(units: [[Int]]) -> Double? {
        // Coincidences o_ck = Σ_u (pairs c–k in u) / (m_u − 1); only the totals are needed for nominal data.
        var observedDisagreement = 0.0
        var totals: [Int: Double] = [:]
        var pairable = 0.0
        for values in units where values.count >= 2 {
            let m = Double(values.count)
            var counts: [Int: Int] = [:]
            for value in values { counts[value, default: 0] += 1 }
            for (value, n) in counts {
                totals[value, default: 0] += Double(n)
                // Pairs of this value with a different value, over m − 1.
                observedDisagreement += Double(n) * Double(values.count - n) / (m - 1)
            }
            pairable += m
        }
        guard pairable > 1 else { return nil }
        var expectedDisagreement = 0.0
        let sum = totals.values.reduce(0, +)
        for n in totals.values { expectedDisagreement += n * (sum - n) }
        guard expectedDisagreement > 0 else { return nil }
        return 1 - (pairable - 1) * observedDisagreement / expectedDisagreement
    }

    /// A 95 % bootstrap interval: alpha over `resamples` resamplings of the units with replacement (seeded, so a
    /// report is reproducible), the 2.5th and 97.5th percentiles of the defined ones.
    public static func bootstrapInterval(
        _ data: [[Int?]], resamples: Int = 1000, seed: UInt64 = 0x5EED
    ) -> (low: Double, high: Double)? {
        let units = data.first?.count ?? 0
        guard units > 0 else { return nil }
        let columns = (0..<units).map { unit in data.compactMap { $0.indices.contains(unit) ? $0[unit] : nil } }
        var random = SplitMix64(seed: seed)
        var alphas: [Double] = []
        alphas.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let sample = (0..<units).map { _ in columns[Int(random.next() % UInt64(units))] }
            if let value = alpha(units: sample) { alphas.append(value) }
        }
        guard alphas.count >= resamples / 2 else { return nil }
        alphas.sort()
        func percentile(_ p: Double) -> Double { alphas[min(alphas.count - 1, max(0, Int((p * Double(alphas.count - 1)).rounded())))] }
        return (percentile(0.025), percentile(0.975))
    }
}

/// A small seeded generator (SplitMix64), so bootstrap intervals and samples repeat exactly (and tests can replay a
/// case from its seed).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    /// Starts from `seed`.
    public init(seed: UInt64) { state = seed }
    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
