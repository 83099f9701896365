import Foundation

/// Numbers rounded to their meaning before they are shown (`8.2`, never `8.200000000000003`): see Docs/json.md.
public enum Rounded {
    /// Seconds (and frame rates) to 3 decimals: a millisecond.
    public static func seconds(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
    /// Degrees of latitude or longitude to 6 decimals: about 11 cm.
    public static func degrees(_ value: Double) -> Double { (value * 1_000_000).rounded() / 1_000_000 }
    /// Metres to 1 decimal.
    public static func metres(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
