public import Foundation

/// One consent decision in the append-only register.
public struct ConsentRecord: Codable, Sendable, Equatable {
    /// Row id: register order (ignored on insert).
    public var id: Int64
    /// The pupil.
    public var pupilID: PupilID
    /// The purpose.
    public var purpose: ConsentPurpose
    /// The decision.
    public var decision: ConsentDecision
    /// First day (`YYYY-MM-DD`) it applies.
    public var effectiveFrom: String
    /// When it was recorded.
    public var recordedAt: Date
    /// Who recorded it.
    public var recordedBy: String
    /// The sealed note.
    public var noteSealed: Data?

    /// Makes a record.
    public init(
        id: Int64 = 0, pupilID: PupilID, purpose: ConsentPurpose, decision: ConsentDecision, effectiveFrom: String,
        recordedAt: Date, recordedBy: String, noteSealed: Data?
    ) {
        self.id = id
        self.pupilID = pupilID
        self.purpose = purpose
        self.decision = decision
        self.effectiveFrom = effectiveFrom
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.noteSealed = noteSealed
    }
}
