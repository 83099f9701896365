/// When in the school day something happened, from its local capture time: the guidance asks whether a pupil does
/// something "at different times of day" (seed 001, 5.3).
public enum TimeOfDay: String, Sendable, Codable, CaseIterable {
    /// Before 12:00.
    case morning
    /// From 12:00, before 15:30.
    case afternoon
    /// From 15:30.
    case afterSchool = "after-school"

    /// The time of day of a local `HH:MM` (minutes since midnight).
    public init(minutes: Int) {
        switch minutes {
        case ..<720: self = .morning
        case ..<930: self = .afternoon
        default: self = .afterSchool
        }
    }

    /// The time of day of an ISO 8601 local time (`2026-09-14T10:12:00+01:00`: the clock time as captured); nil
    /// when it has none.
    public init?(iso text: String) {
        let chars = Array(text.utf8)
        guard chars.count >= 16, chars[10] == UInt8(ascii: "T"), chars[13] == UInt8(ascii: ":") else { return nil }
        func digits(_ a: Int, _ b: Int) -> Int? {
            guard (48...57).contains(chars[a]), (48...57).contains(chars[b]) else { return nil }
            return Int(chars[a] - 48) * 10 + Int(chars[b] - 48)
        }
        guard let hours = digits(11, 12), let minutes = digits(14, 15) else { return nil }
        self.init(minutes: hours * 60 + minutes)
    }

    /// How a report says it.
    public var words: String {
        switch self {
        case .morning: "morning"
        case .afternoon: "afternoon"
        case .afterSchool: "after school"
        }
    }
}
