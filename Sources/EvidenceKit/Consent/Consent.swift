public import Catalogue
public import Foundation

/// One recorded consent decision. The register is history: rows are added, never changed.
public struct ConsentEntry: Sendable, Codable, Equatable {
    /// The pupil's row id.
    public var pupilID: PupilID
    /// The purpose.
    public var purpose: ConsentPurpose
    /// The decision.
    public var decision: ConsentDecision
    /// First day (`YYYY-MM-DD`, library time zone) the decision applies.
    public var effectiveFrom: String
    /// When it was recorded.
    public var recordedAt: Date
    /// Who recorded it.
    public var recordedBy: String
    /// Register order (later rows win on the same day).
    public var sequence: Int64

    /// Makes an entry.
    public init(
        pupilID: PupilID, purpose: ConsentPurpose, decision: ConsentDecision, effectiveFrom: String,
        recordedAt: Date = Date(), recordedBy: String = "", sequence: Int64
    ) {
        self.pupilID = pupilID
        self.purpose = purpose
        self.decision = decision
        self.effectiveFrom = effectiveFrom
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.sequence = sequence
    }
}

/// The consent rule for one day, as a pure function of the register (so it can be tested as a property).
public enum ConsentRule {
    /// The decision in force for `pupilID` and `purpose` on `day`: the entry with the latest `effectiveFrom`
    /// on or before `day` (ties: the later-recorded). No entry means no consent.
    public static func decision(
        _ entries: [ConsentEntry], pupilID: PupilID, purpose: ConsentPurpose, on day: String
    ) -> ConsentDecision? {
        var best: ConsentEntry?
        for entry in entries where entry.pupilID == pupilID && entry.purpose == purpose && entry.effectiveFrom <= day {
            if let current = best,
                (current.effectiveFrom, current.sequence) > (entry.effectiveFrom, entry.sequence)
            {
                continue
            }
            best = entry
        }
        return best?.decision
    }

    /// Whether `purpose` is granted for the pupil on `day`.
    public static func permits(_ entries: [ConsentEntry], pupilID: PupilID, purpose: ConsentPurpose, on day: String) -> Bool {
        decision(entries, pupilID: pupilID, purpose: purpose, on: day) == .granted
    }
}
