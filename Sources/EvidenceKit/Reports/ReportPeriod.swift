public import Foundation

/// The stretch of time a report covers: a term (`autumn-2026`), an academic year (`year-2026`, September 2026 to
/// August 2027), or from one day to another.
public struct ReportPeriod: Sendable, Codable, Equatable {
    /// As typed (`autumn-2026`), or `year-YYYY` for an academic year.
    public var name: String
    /// First day, `YYYY-MM-DD`.
    public var first: String
    /// Last day, inclusive.
    public var last: String

    /// A term or year as `find --since` takes them.
    public static func parse(_ text: String, field: Field = Field("period")) throws(EvidenceError) -> ReportPeriod {
        let (first, last) = try CalendarDate.range(text, field: field)
        return ReportPeriod(name: text.lowercased(), first: first, last: last)
    }

    /// `--year 2027`: the academic year that ends in the summer of 2027 (September 2026 to August 2027).
    public static func academicYear(ending year: Int) throws(EvidenceError) -> ReportPeriod {
        guard (2000...2100).contains(year) else {
            throw EvidenceError(
                .usage, "\(year) is not a school year: give the year it ends in, e.g. 2027 for 2026–27.", field: Field("year"),
                value: String(year))
        }
        return try parse("year-\(year - 1)", field: Field("year"))
    }

    /// The academic year `day` falls in.
    public static func academicYear(containing day: String) -> ReportPeriod {
        let year = Int(day.prefix(4)) ?? 2000
        let month = Int(day.dropFirst(5).prefix(2)) ?? 1
        let start = month >= 9 ? year : year - 1
        return ReportPeriod(name: "year-\(start)", first: "\(start)-09-01", last: "\(start + 1)-08-31")
    }

    /// In words: "autumn term 2026", "2026–27".
    public var words: String {
        let pieces = name.split(separator: "-")
        guard pieces.count == 2, let year = Int(pieces[1]) else { return "\(first) to \(last)" }
        switch pieces[0] {
        case "year": return "\(year)–\(String(year + 1).suffix(2))"
        case "autumn", "spring", "summer": return "\(pieces[0]) term \(year)"
        default: return "\(first) to \(last)"
        }
    }

    /// Whether a day (`YYYY-MM-DD`) is in it.
    public func contains(_ day: String) -> Bool { day >= first && day <= last }
}
