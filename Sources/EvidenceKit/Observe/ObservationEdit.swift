import Foundation

/// Changes to an observation; nil leaves a field as it was, an empty list or text clears it.
public struct ObservationEdit: Sendable {
    /// Engagement areas (names, case-insensitive). Nil leaves it unchanged.
    public var areas: [String]?
    /// Observed responses from the vocabulary. Nil leaves it unchanged.
    public var responses: [String]?
    /// `intentional`, `reflexive` or `unsure`. Nil leaves it unchanged.
    public var intent: String?
    /// Prompt level: `independent`, `gestural`, `verbal`, `modelled` or `physical`. Nil leaves it unchanged.
    public var prompt: String?
    /// Context: the activity. Nil leaves it unchanged.
    public var activity: String?
    /// Context: the setting. Nil leaves it unchanged.
    public var setting: String?
    /// Context: equipment used. Nil leaves it unchanged.
    public var equipment: String?
    /// Staff with the pupil (handles). Nil leaves it unchanged.
    public var withStaff: [String]?
    /// EHC plan outcome number (from 1). Nil leaves it unchanged.
    public var outcome: Int?
    /// A free-text note (stored sealed). Nil leaves it unchanged.
    public var note: String?

    /// No changes.
    public init() {}
}
