public import Foundation

/// Dates as GRDB stores them (`yyyy-MM-dd HH:mm:ss.SSS`, UTC), formatted by arithmetic: GRDB's own conversion goes
/// through ICU's `DateFormatter`, which dominated bulk imports (about 10 µs per date).
public enum Timestamp {
    /// The stored text for `date`; GRDB reads it back as the same `Date` to the millisecond, and for whole seconds
    /// the text is identical to GRDB's own.
    public static func text(_ date: Date) -> String {
        // Nearest millisecond: exact for the whole-millisecond dates the catalogue holds. (ICU truncates a binary
        // fraction and so sometimes writes one millisecond less; both read back within the same millisecond.)
        let totalMs = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var days = totalMs >= 0 ? totalMs / 86_400_000 : (totalMs - 86_399_999) / 86_400_000
        let msOfDay = totalMs - days * 86_400_000
        // Civil from days (Howard Hinnant's algorithm), proleptic Gregorian.
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var out = ""
        out.reserveCapacity(23)
        func append(_ value: Int64, width: Int) {
            let digits = String(value)
            if digits.count < width { out += String(repeating: "0", count: width - digits.count) }
            out += digits
        }
        append(year, width: 4); out += "-"
        append(month, width: 2); out += "-"
        append(day, width: 2); out += " "
        append(msOfDay / 3_600_000, width: 2); out += ":"
        append(msOfDay / 60_000 % 60, width: 2); out += ":"
        append(msOfDay / 1000 % 60, width: 2); out += "."
        append(msOfDay % 1000, width: 3)
        return out
    }
}
