public import Foundation

/// Calendar days as people type them (`2026-09-01`) and school terms (`autumn-2026`, `spring-2027`,
/// `summer-2027`, `year-2026` for the academic year from September), resolved in the library's time zone.
public enum CalendarDate {
    /// Checks a `YYYY-MM-DD` day and returns it unchanged.
    @discardableResult
    public static func parse(_ text: String, field: Field) throws(EvidenceError) -> String {
        guard let parts = components(text) else {
            throw EvidenceError(.usage, "\"\(text)\" is not a date: use YYYY-MM-DD, e.g. 2026-09-01.", field: field, value: text)
        }
        return String(format: "%04d-%02d-%02d", parts.year, parts.month, parts.day)
    }

    /// The first and last day (inclusive, `YYYY-MM-DD`) that a date or a term names.
    public static func range(_ text: String, field: Field) throws(EvidenceError) -> (first: String, last: String) {
        let lower = text.lowercased()
        let pieces = lower.split(separator: "-")
        if pieces.count == 2, let year = Int(pieces[1]), (1900...2999).contains(year) {
            switch pieces[0] {
            case "autumn": return ("\(year)-09-01", "\(year)-12-31")
            case "spring": return ("\(year)-01-01", "\(year)-03-31")
            case "summer": return ("\(year)-04-01", "\(year)-08-31")
            case "year": return ("\(year)-09-01", "\(year + 1)-08-31")
            default: break
            }
        }
        guard components(text) != nil else {
            throw EvidenceError(
                .usage,
                "\"\(text)\" is not a date or term: use YYYY-MM-DD, or autumn-2026, spring-2027, summer-2027, year-2026.",
                field: field, value: text
            )
        }
        let day = try parse(text, field: field)
        return (day, day)
    }

    /// The instant a local day starts, in `zone`.
    public static func startOfDay(_ day: String, in zone: TimeZone) -> Date {
        guard let parts = components(day) else { return .distantPast }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day)) ?? .distantPast
    }

    /// The local day (`YYYY-MM-DD`) of an instant, in `zone`.
    public static func day(of date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return day(of: date, calendar: calendar)
    }

    /// The local day of an instant in a prepared calendar (for loops over many instants).
    static func day(of date: Date, calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    private static func components(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let pieces = text.split(separator: "-", omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].count == 4, let year = Int(pieces[0]), let month = Int(pieces[1]),
            let day = Int(pieces[2]), (1...12).contains(month), day >= 1
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
            let days = calendar.range(of: .day, in: .month, for: first), days.contains(day)
        else { return nil }
        return (year, month, day)
    }
}
