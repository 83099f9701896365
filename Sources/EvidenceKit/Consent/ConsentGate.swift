public import Catalogue

/// Why evidence showing a pupil may not be used.
public enum Restriction: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Capture consent was not granted on the day the photo or video was taken.
    case noCaptureConsent(pupil: PupilID, capturedOn: String)
    /// Capture consent was granted then, but a later decision (withdrawn or refused) applies today.
    case captureEnded(pupil: PupilID, decision: ConsentDecision, from: String)

    /// The pupil concerned.
    public var pupil: PupilID {
        switch self {
        case .noCaptureConsent(let pupil, _), .captureEnded(let pupil, _, _): pupil
        }
    }

    /// In plain words, without the pupil's name (the caller adds the handle).
    public var description: String {
        switch self {
        case .noCaptureConsent(_, let day): "no capture consent on \(day), the day it was taken"
        case .captureEnded(_, let decision, let from): "capture consent \(decision.rawValue) from \(from)"
        }
    }
}

/// The one consent gate every output consults before its first byte: `cat`, `clip`, `play`, `thumbnail`,
/// `export-annotations`, and every report, share and page to come. A pure function of the register, so it is
/// tested as a property.
///
/// Evidence of a pupil may be used inside the school when capture consent was granted on the day it was taken
/// and is still granted today: a withdrawal (or refusal) dated D applies to every use from D on, whenever the media
/// was captured.
public struct ConsentGate: Sendable {
    private let entries: [PupilID: [ConsentEntry]]
    /// Today, `YYYY-MM-DD`, in the session's zone.
    public let today: String

    /// A gate over the register `entries`, deciding on `today`.
    public init(entries: [ConsentEntry], today: String) {
        self.entries = Dictionary(grouping: entries, by: \.pupilID)
        self.today = today
    }

    /// What stops evidence of `pupil` captured on `day` from being used, or nil when nothing does.
    public func restriction(of pupil: PupilID, capturedOn day: String) -> Restriction? {
        let history = entries[pupil] ?? []
        guard ConsentRule.permits(history, pupilID: pupil, purpose: .capture, on: day) else {
            return .noCaptureConsent(pupil: pupil, capturedOn: day)
        }
        let now = ConsentRule.decision(history, pupilID: pupil, purpose: .capture, on: today)
        guard now == .granted else {
            let from =
                history.filter { $0.purpose == .capture && $0.effectiveFrom <= today }
                .max { ($0.effectiveFrom, $0.sequence) < ($1.effectiveFrom, $1.sequence) }?.effectiveFrom ?? today
            return .captureEnded(pupil: pupil, decision: now ?? .withdrawn, from: from)
        }
        return nil
    }

    /// Whether `purpose` is granted for `pupil` on `day`.
    public func grants(_ purpose: ConsentPurpose, to pupil: PupilID, on day: String) -> Bool {
        ConsentRule.permits(entries[pupil] ?? [], pupilID: pupil, purpose: purpose, on: day)
    }

    /// The restrictions on evidence that shows `pupils`, captured on `day` (empty: it may be used).
    public func restrictions(showing pupils: some Sequence<PupilID>, capturedOn day: String) -> [Restriction] {
        pupils.compactMap { restriction(of: $0, capturedOn: day) }.sorted { $0.pupil < $1.pupil }
    }

    /// Pupils shown alongside the subject whose family has not agreed to them appearing in others' evidence, on the
    /// day it was taken and today.
    public func notClearedToAppear(_ pupils: some Sequence<PupilID>, capturedOn day: String) -> [PupilID] {
        pupils.filter { !(grants(.appearInOthers, to: $0, on: day) && grants(.appearInOthers, to: $0, on: today)) }.sorted()
    }

    /// Why a moment of `subject` captured on `day` may not leave the school, or nil when it may (DESIGN.md's rule,
    /// for the parent report and sharing): the subject's family-sharing consent granted on that day and still in
    /// force today; the asset's appearances reviewed; every other pupil shown with appear-in-others consent on that
    /// day and today; and nobody shown restricted for use at all.
    public func reasonNotToShare(
        subject: PupilID, showing shown: Set<PupilID>, reviewed: Bool, capturedOn day: String
    ) -> String? {
        guard grants(.familySharing, to: subject, on: day) else {
            return "no family-sharing consent on \(day)"
        }
        guard grants(.familySharing, to: subject, on: today) else {
            return "family-sharing consent is no longer in force"
        }
        if let restriction = restrictions(showing: shown.union([subject]), capturedOn: day).first {
            return restriction.pupil == subject ? "\(restriction)" : "it shows another pupil whose consent restricts its use"
        }
        guard reviewed else { return "nobody has checked who else is visible in it" }
        let others = shown.subtracting([subject])
        guard notClearedToAppear(others, capturedOn: day).isEmpty else {
            return "it shows another pupil whose family has not agreed to them appearing in others' evidence"
        }
        return nil
    }

    /// Why a moment may not go to a moderator in another school, or nil when it may: its appearances reviewed, and
    /// every pupil it shows with moderation consent on its day and today (and nobody restricted for use at all).
    public func reasonNotToModerate(showing shown: Set<PupilID>, reviewed: Bool, capturedOn day: String) -> String? {
        if !restrictions(showing: shown, capturedOn: day).isEmpty { return "it shows a pupil whose consent restricts its use" }
        guard reviewed else { return "nobody has checked who else is visible in it" }
        let refused = shown.filter { !(grants(.moderation, to: $0, on: day) && grants(.moderation, to: $0, on: today)) }
        return refused.isEmpty ? nil : "it shows a pupil without moderation consent"
    }
}
