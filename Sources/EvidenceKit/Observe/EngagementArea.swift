internal import Foundation
public import Catalogue

extension EngagementArea {
    /// Parses a name case-insensitively (American "realization" too), or throws a usage error listing the five.
    public init(parsing text: String, field: Field = Field("area")) throws(EvidenceError) {
        if let exact = EngagementArea(rawValue: text) {
            self = exact
            return
        }
        let key = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "realization", with: "realisation")
        guard let area = EngagementArea(rawValue: key) else {
            throw EvidenceError(
                .usage,
                "Unknown engagement area \"\(text)\". Use one of: \(EngagementArea.allCases.map(\.rawValue).joined(separator: ", ")).",
                field: field, value: text)
        }
        self = area
    }
}

extension EngagementAreas {
    /// Parses area names (any case) into a set.
    public init(parsing names: [String], field: Field = Field("area")) throws(EvidenceError) {
        var areas: EngagementAreas = []
        for name in names { areas.insert(try EngagementArea(parsing: name, field: field).areas) }
        self = areas
    }
}

/// Parses one value of a small closed set, with an error that names the field and the allowed values.
func parseChoice<T: RawRepresentable & CaseIterable>(_ text: String, field: Field) throws(EvidenceError) -> T
where T.RawValue == String {
    if let exact = T(rawValue: text) { return exact }
    let key = text.trimmingCharacters(in: .whitespaces).lowercased()
    guard let value = T(rawValue: key) else {
        throw EvidenceError(
            .usage, "Unknown value \"\(text)\". Use one of: \(T.allCases.map(\.rawValue).joined(separator: ", ")).",
            field: field, value: text)
    }
    return value
}

/// Parses a list of values of a closed set (each once, in the set's own order).
func parseChoices<T: RawRepresentable & CaseIterable & Equatable>(_ texts: [String], field: Field) throws(EvidenceError) -> [T]
where T.RawValue == String {
    var values: [T] = []
    for text in texts {
        let value: T = try parseChoice(text, field: field)
        if !values.contains(value) { values.append(value) }
    }
    return T.allCases.filter { values.contains($0) }
}
