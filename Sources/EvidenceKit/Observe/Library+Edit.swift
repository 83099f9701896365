public import Foundation
internal import Catalogue
internal import GRDB

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

extension Library {
    /// Edits an observation by adding its new version and pointing the old one at it, so history is kept.
    public func editObservation(_ idText: String, _ edit: ObservationEdit) throws(EvidenceError) -> TagResult {
        let id = try Self.observationID(idText)
        guard let old = try observationViews(ids: [id]).first else {
            throw EvidenceError(.usage, "There is no observation o\(id).")
        }
        let status: (replaced: Int64?, removed: Date?, occurred: Date)
        do {
            status = try catalogue.read { db in
                let row = try Row.fetchOne(db, sql: "SELECT replaced_by, removed_at, occurred_at FROM observation WHERE id = ?", arguments: [id])!
                return (row["replaced_by"], row["removed_at"], row["occurred_at"])
            }
        } catch {
            throw EvidenceError.from(error)
        }
        if let newer = status.replaced {
            throw EvidenceError(.usage, "Observation o\(id) was edited since: edit its newer version o\(newer).")
        }
        guard status.removed == nil else { throw EvidenceError(.usage, "Observation o\(id) was removed (untagged).") }
        var draft = ObservationDraft(pupil: old.pupil)
        draft.areas = edit.areas ?? old.areas
        draft.responses = edit.responses ?? old.responses
        draft.intent = Self.edited(edit.intent, old.intent)
        draft.prompt = Self.edited(edit.prompt, old.prompt)
        draft.activity = Self.edited(edit.activity, old.activity)
        draft.setting = Self.edited(edit.setting, old.setting)
        draft.equipment = Self.edited(edit.equipment, old.equipment)
        draft.withStaff = edit.withStaff ?? old.withStaff
        draft.outcome = edit.outcome.map { $0 == 0 ? nil : $0 } ?? old.outcome
        draft.note = Self.edited(edit.note, old.note)
        let context = try taggingContext()
        let resolved = try context.resolve(draft, day: CalendarDate.day(of: status.occurred, in: timeZone), library: self)
        do {
            return try catalogue.write { db in
                let momentID = Int64(old.moment.dropFirst())!
                let newID = try insertObservation(db, momentID: momentID, occurredAt: status.occurred, resolved)
                try db.execute(sql: "UPDATE observation SET replaced_by = ? WHERE id = ?", arguments: [newID, id])
                try catalogue.appendAudit(
                    db, actor: actor, action: "edit", assetID: old.asset, pupilID: resolved.pupil.id, detail: "o\(id)→o\(newID)")
                return TagResult(moment: old.moment, observation: "o\(newID)")
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    private static func edited(_ new: String?, _ old: String?) -> String? {
        guard let new else { return old }
        return new.isEmpty ? nil : new
    }
}
