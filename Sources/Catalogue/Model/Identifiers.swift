import Foundation

/// An asset's id: a random lower-case UUID that also names its vault blob.
public struct AssetID: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The UUID text, lower case.
    public let rawValue: String
    /// Wraps a stored id (not checked: use ``init(parsing:)`` for typed input).
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// Wraps a stored id.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// A fresh random id.
    public static func random() -> AssetID { AssetID(UUID().uuidString.lowercased()) }
    /// The full id.
    public var description: String { rawValue }
    /// The first eight characters, as tables show it.
    public var short: String { String(rawValue.prefix(8)) }
    /// Orders by the text.
    public static func < (a: AssetID, b: AssetID) -> Bool { a.rawValue < b.rawValue }
    /// Decodes from a plain string.
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    /// Encodes as a plain string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A row id with a one-letter prefix when shown (`m12`, `o34`), so people can tell them apart.
public protocol PrefixedRowID: RawRepresentable<Int64>, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The letter shown before the number.
    static var prefix: Character { get }
    /// Wraps a row id.
    init(_ rawValue: Int64)
}

extension PrefixedRowID {
    /// Wraps a row id.
    public init(rawValue: Int64) { self.init(rawValue) }
    /// `m12`, `o34`.
    public var description: String { "\(Self.prefix)\(rawValue)" }
    /// Parses `m12` or `12`; nil for anything else.
    public init?(parsing text: String) {
        let lower = text.lowercased()
        let digits = lower.first == Self.prefix ? String(lower.dropFirst()) : lower
        guard let value = Int64(digits), value > 0 else { return nil }
        self.init(value)
    }
    /// Orders by row id.
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    /// Decodes from `m12` (as shown) or a plain row id.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            self.init(number)
            return
        }
        let text = try container.decode(String.self)
        guard let parsed = Self(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an id: \(text)")
        }
        self = parsed
    }
    /// Encodes as shown: `m12`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A moment (a stretch of a video, or a whole photo): `m12`.
public struct MomentID: PrefixedRowID {
    /// `m`.
    public static let prefix: Character = "m"
    /// The row id.
    public let rawValue: Int64
    /// Wraps a row id.
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
}

/// One pupil's observation in a moment: `o34`.
public struct ObservationID: PrefixedRowID {
    /// `o`.
    public static let prefix: Character = "o"
    /// The row id.
    public let rawValue: Int64
    /// Wraps a row id.
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
}

/// A pupil's row id (never shown to staff: they see handles).
public struct PupilID: PrefixedRowID {
    /// `p`.
    public static let prefix: Character = "p"
    /// The row id.
    public let rawValue: Int64
    /// Wraps a row id.
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
}

/// A member of staff's row id (never shown: staff are known by handle).
public struct StaffID: PrefixedRowID {
    /// `s`.
    public static let prefix: Character = "s"
    /// The row id.
    public let rawValue: Int64
    /// Wraps a row id.
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
}
