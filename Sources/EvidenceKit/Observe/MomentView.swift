public import Catalogue
public import Foundation

/// A moment of an asset with its current observations.
public struct MomentView: Sendable, Encodable {
    /// `m12`.
    public var id: MomentID
    /// Start in ms (nil: the whole asset).
    public var startMs: Int64?
    /// End in ms.
    public var endMs: Int64?
    /// The current observations, one per pupil tagged.
    public var observations: [ObservationView]

    /// The range as text, or `whole`.
    public var rangeText: String { TimeCode.range(startMs, endMs) }
}

/// Who can be seen in an asset, and whether staff have checked.
public struct AppearanceView: Sendable, Codable {
    /// The asset id.
    public var asset: AssetID
    /// Pupils recorded as visible (handles).
    public var pupils: [String]
    /// Whether staff reviewed the asset for other pupils.
    public var reviewed: Bool
    /// Whether the review found nobody beyond `pupils`.
    public var noneElse: Bool
    /// Who reviewed it.
    public var reviewedBy: String?
    /// When.
    public var reviewedAt: Date?
}
