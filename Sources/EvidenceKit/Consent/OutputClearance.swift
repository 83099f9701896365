public import Catalogue
public import Foundation
internal import Vault

/// What the consent gate allowed for one output, and what the person should be told.
public struct OutputClearance: Sendable {
    /// The pupils the output shows (each named in its audit entry).
    public var pupils: [PupilID]
    /// Warnings for the person making the output (co-present pupils, an unreviewed asset), in plain words.
    public var warnings: [String]
    /// Restrictions overridden by a break-glass reason.
    public var overridden: [Restriction]
}

extension Session {
    /// The consent gate as of today.
    func consentGate() throws(EvidenceError) -> ConsentGate {
        do {
            let entries = try library.catalogue.read { store in try ConsentRegister.entries(store) }
            return ConsentGate(entries: entries, today: today)
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Checks an internal output of `asset` (captured, or for a moment occurring, at `occurredAt`) against the
    /// consent gate, without auditing: throws ``EvidenceError/Category/refusedByConsent`` (exit 5) naming each
    /// restricted pupil and what the school can do, unless a break-glass `reason` is given.
    public func checkConsent(for asset: AssetRecord, occurredAt: Date? = nil, reason: String? = nil) throws(EvidenceError)
        -> OutputClearance
    {
        let gate = try consentGate()
        let directory = try library.pupilDirectory()
        let shown: Set<PupilID>
        let review: AppearanceReviewRecord?
        do {
            (shown, review) = try library.catalogue.read { store in
                (try store.pupilsShown(assetIDs: [asset.id])[asset.id] ?? [], try store.appearanceReview(assetID: asset.id))
            }
        } catch {
            throw EvidenceError.from(error)
        }
        let day = CalendarDate.day(of: occurredAt ?? asset.capturedAt, in: timeZone)
        let restrictions = gate.restrictions(showing: shown, capturedOn: day)
        func handle(_ pupil: PupilID) -> String { directory.pupil(id: pupil)?.handle ?? pupil.description }
        if let first = restrictions.first, reason?.isEmpty ?? true {
            let named = restrictions.map { "\(handle($0.pupil)) (\($0))" }.joined(separator: ", ")
            throw EvidenceError(
                .refusedByConsent,
                "Asset \(asset.id.short) shows \(named), so it is not given out.", value: handle(first.pupil),
                remedy: .renewConsentOrErase(pupil: handle(first.pupil), purpose: .capture, from: today))
        }
        var warnings: [String] = []
        if !restrictions.isEmpty {
            warnings.append("consent overridden for \(restrictions.map { handle($0.pupil) }.joined(separator: ", ")); the reason is audited")
        }
        let tagged = shown
        let notCleared = gate.notClearedToAppear(tagged, capturedOn: day)
        if tagged.count > 1, !notCleared.isEmpty {
            warnings.append(
                "it also shows \(notCleared.map(handle).joined(separator: ", ")), whose family has not agreed to them appearing in others' evidence")
        }
        if review == nil, !shown.isEmpty {
            warnings.append("nobody has yet checked who else is visible in asset \(asset.id.short)")
        }
        return OutputClearance(pupils: shown.sorted(), warnings: warnings, overridden: restrictions)
    }

    /// Checks an internal output against the consent gate and audits it before its first byte: one entry per pupil
    /// shown (so `audit --pupil` lists every view of a child's evidence), with a break-glass reason sealed.
    func clearOutput(
        _ action: String, asset: AssetRecord, occurredAt: Date? = nil, reason: String?, detail: String
    ) throws(EvidenceError) -> OutputClearance {
        let clearance = try checkConsent(for: asset, occurredAt: occurredAt, reason: reason)
        do {
            let note = try reason.flatMap { $0.isEmpty || clearance.overridden.isEmpty ? nil : $0 }
                .map { try library.master.seal($0, context: "audit.note") }
            let extra = note == nil ? "" : " override=consent"
            let drafts =
                clearance.pupils.isEmpty
                ? [auditDraft(action, assetID: asset.id, detail: detail + extra)]
                : clearance.pupils.map { auditDraft(action, assetID: asset.id, pupilID: $0, detail: detail + extra) }
            try library.catalogue.write { store in
                for var draft in drafts {
                    draft.noteSealed = note
                    try store.appendAudit(draft)
                }
            }
        } catch {
            throw EvidenceError.from(error)
        }
        return clearance
    }
}
