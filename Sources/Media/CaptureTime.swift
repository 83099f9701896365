public import Foundation
import Synchronization

/// Parsing of the time and place strings that cameras write.
public enum CaptureTime {
    /// Parses Exif `YYYY:MM:DD HH:MM:SS` as wall-clock fields; nil for blank or zeroed values.
    static func exifWallClock(_ text: String) -> DateComponents? {
        let digits = text.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\0")))
        let parts = digits.split(whereSeparator: { ":- T".contains($0) }).compactMap { Int($0) }
        guard parts.count >= 6, parts[0] >= 1980, (1...12).contains(parts[1]), (1...31).contains(parts[2]),
            (0...23).contains(parts[3]), (0...59).contains(parts[4]), (0...60).contains(parts[5])
        else { return nil }
        return DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4], second: parts[5])
    }

    /// Parses an offset such as `+01:00`, `-0530` or `Z` into seconds east of UTC.
    public static func offset(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\0")))
        if t == "Z" { return 0 }
        guard let sign = t.first, sign == "+" || sign == "-" else { return nil }
        let digits = t.dropFirst().filter(\.isNumber)
        guard digits.count == 4 || digits.count == 2, let value = Int(digits) else { return nil }
        let hours = digits.count == 4 ? value / 100 : value
        let minutes = digits.count == 4 ? value % 100 : 0
        guard hours <= 14, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    /// The instant of wall-clock `fields` at a fixed offset.
    static func instant(_ fields: DateComponents, offsetSeconds: Int, fraction: Double = 0) -> Date? {
        guard let zone = TimeZone(secondsFromGMT: offsetSeconds) else { return nil }
        return instant(fields, in: zone).map { $0.addingTimeInterval(fraction) }
    }

    /// The instant of wall-clock `fields` in `zone`, honouring its daylight-saving rules.
    static func instant(_ fields: DateComponents, in zone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: fields)
    }

    /// Parses ISO 8601 with a zone (`2026-03-14T10:22:05+0100`, `…05.000000Z`): the instant and the offset.
    public static func iso8601(_ text: String) -> (date: Date, offsetSeconds: Int)? {
        var t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.count >= 19 else { return nil }
        let head = String(t.prefix(19))
        t.removeFirst(19)
        var fraction = 0.0
        if t.first == "." {
            let digits = t.dropFirst().prefix(while: \.isNumber)
            fraction = Double("0." + digits) ?? 0
            t.removeFirst(1 + digits.count)
        }
        guard let fields = exifWallClock(head), let offset = offset(t.isEmpty ? "Z" : t) else { return nil }
        guard let date = instant(fields, offsetSeconds: offset, fraction: fraction) else { return nil }
        return (date, offset)
    }

    /// Parses an ISO 6709 location (`+51.5074-000.1278+010.000/`): latitude, longitude and optional altitude.
    public static func iso6709(_ text: String) -> (latitude: Double, longitude: Double, altitude: Double?)? {
        var numbers: [Double] = []
        var current = ""
        for ch in text {
            if ch == "+" || ch == "-" || ch == "/" {
                if !current.isEmpty {
                    guard let value = Double(current) else { return nil }
                    numbers.append(value)
                }
                current = ch == "/" ? "" : String(ch)
                if ch == "/" { break }
            } else if ch.isNumber || ch == "." {
                current.append(ch)
            } else {
                return nil
            }
        }
        if !current.isEmpty, let value = Double(current) { numbers.append(value) }
        guard numbers.count >= 2, abs(numbers[0]) <= 90, abs(numbers[1]) <= 180 else { return nil }
        return (numbers[0], numbers[1], numbers.count > 2 ? numbers[2] : nil)
    }

    /// Formats an instant as ISO 8601 with the given offset (`2026-03-14T10:22:05+01:00`).
    ///
    /// Formatters are costly to make (ICU), so one per offset is kept; listing thousands of observations reuses them.
    /// Milliseconds are kept when there are any (a phone's `SubSecTimeOriginal`, a moment's start):
    /// `2026-07-01T09:30:00.250+01:00`; whole seconds print without them.
    public static func format(_ date: Date, offsetSeconds: Int) -> String {
        let ms = Int(((date.timeIntervalSince1970 * 1000).rounded()).truncatingRemainder(dividingBy: 1000))
        let fractional = ms != 0
        return formatters.withLock { cache in
            let key = offsetSeconds * 2 + (fractional ? 1 : 0)
            if let formatter = cache[key] { return formatter.string(from: date) }
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = fractional ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
            formatter.timeZone = TimeZone(secondsFromGMT: offsetSeconds) ?? TimeZone(secondsFromGMT: 0)
            cache[key] = formatter
            return formatter.string(from: date)
        }
    }

    private static let formatters = Mutex<[Int: ISO8601DateFormatter]>([:])
}
