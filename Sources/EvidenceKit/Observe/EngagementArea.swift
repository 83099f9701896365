internal import Foundation

/// The five areas of the engagement model (DfE, 2020). They are not a hierarchy and are never scored.
public enum EngagementArea: String, CaseIterable, Sendable, Codable {
    case exploration, realisation, anticipation, persistence, initiation

    /// The area's bit in the catalogue's `areas` column.
    public var bit: Int { 1 << EngagementArea.allCases.firstIndex(of: self)! }

    /// Parses a name case-insensitively (American "realization" too), or throws a usage error listing the five.
    public init(parsing text: String) throws(EvidenceError) {
        if let exact = EngagementArea(rawValue: text) {
            self = exact
            return
        }
        let key = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "realization", with: "realisation")
        guard let area = EngagementArea(rawValue: key) else {
            throw EvidenceError(
                .usage,
                "Unknown engagement area \"\(text)\" (--area). Use one of: \(EngagementArea.allCases.map(\.rawValue).joined(separator: ", "))."
            )
        }
        self = area
    }

    /// The bit set for several areas.
    public static func mask(_ areas: some Sequence<EngagementArea>) -> Int {
        areas.reduce(0) { $0 | $1.bit }
    }

    /// The areas in a bit set, in the model's order.
    public static func areas(in mask: Int) -> [EngagementArea] {
        allCases.filter { mask & $0.bit != 0 }
    }
}

/// Whether a response looked intentional or reflexive (seed 001, 3.4: "intentional and not reflexive").
public enum Intent: String, CaseIterable, Sendable, Codable {
    case intentional, reflexive, unsure
}

/// How much help the pupil had; progress is often seen as less prompting.
public enum PromptLevel: String, CaseIterable, Sendable, Codable {
    case independent, gestural, verbal, modelled, physical
}

/// Parses one value of a small closed set, with an error that names the option and the allowed values.
func parseChoice<T: RawRepresentable & CaseIterable>(_ text: String, option: String) throws(EvidenceError) -> T
where T.RawValue == String {
    if let exact = T(rawValue: text) { return exact }
    let key = text.trimmingCharacters(in: .whitespaces).lowercased()
    guard let value = T(rawValue: key) else {
        throw EvidenceError(
            .usage,
            "Unknown value \"\(text)\" for \(option). Use one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))."
        )
    }
    return value
}
