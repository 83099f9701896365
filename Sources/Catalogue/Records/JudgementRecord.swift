public import Foundation

/// A teacher's judgement of how established a pupil is in one area over a period: a narrative, never a score,
/// linked to the observations it rests on. Never edited: a newer one for the same pupil, area and period replaces it.
public struct JudgementRecord: Sendable, Equatable {
    /// Row id (ignored on insert).
    public var id: Int64
    /// The pupil.
    public var pupilID: PupilID
    /// The area.
    public var area: EngagementArea
    /// The period, as `find --since` takes it (`autumn-2026`, `2026-27`).
    public var period: String
    /// The narrative, sealed.
    public var textSealed: Data
    /// The observations it rests on.
    public var evidence: [ObservationID]
    /// When it was recorded.
    public var recordedAt: Date
    /// Who recorded it (a staff handle).
    public var recordedBy: String

    /// Makes a record.
    public init(
        id: Int64 = 0, pupilID: PupilID, area: EngagementArea, period: String, textSealed: Data, evidence: [ObservationID],
        recordedAt: Date, recordedBy: String
    ) {
        self.id = id
        self.pupilID = pupilID
        self.area = area
        self.period = period
        self.textSealed = textSealed
        self.evidence = evidence
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
    }
}
