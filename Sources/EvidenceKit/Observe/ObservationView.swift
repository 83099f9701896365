public import Foundation
public import Catalogue

/// One current observation as shown to staff (`moments`, `find`), sealed fields opened in memory.
public struct ObservationView: Sendable, Codable, Equatable {
    /// `o34`.
    public var id: ObservationID
    /// `m12`.
    public var moment: MomentID
    /// The asset id.
    public var asset: AssetID
    /// Photo or video.
    public var assetKind: AssetKind
    /// Start of the range in ms (nil: the whole asset).
    public var startMs: Int64?
    /// End of the range in ms.
    public var endMs: Int64?
    /// When it happened (capture time plus the start), ISO 8601 with the capture's offset when known.
    public var occurredAt: String
    /// The pupil's handle.
    public var pupil: String
    /// Areas, in the model's order.
    public var areas: [String]
    /// Observed responses.
    public var responses: [String]
    /// `intentional`, `reflexive`, `unsure`.
    public var intent: String?
    /// Prompt level.
    public var prompt: String?
    /// Context: activity.
    public var activity: String?
    /// Context: setting.
    public var setting: String?
    /// Context: equipment.
    public var equipment: String?
    /// Staff with the pupil (handles).
    public var withStaff: [String]
    /// EHC plan outcome number.
    public var outcome: Int?
    /// The note, opened.
    public var note: String?
    /// Who recorded it.
    public var observer: String
    /// When it was recorded.
    public var recordedAt: Date

    /// The range as text, or `whole` for a photo or a whole video.
    public var rangeText: String { TimeCode.range(startMs, endMs) }
}
