public import Foundation
internal import Catalogue
internal import GRDB
internal import Vault

extension Library {
    /// Records a consent decision for a pupil, from `effectiveFrom` (default today); the history is kept.
    public func setConsent(
        pupil: Pupil, purpose: ConsentPurpose, decision: ConsentDecision, effectiveFrom: String? = nil,
        note: String? = nil
    ) throws(EvidenceError) -> ConsentEntry {
        let day = try effectiveFrom.map { (text) throws(EvidenceError) in try CalendarDate.parse(text, option: "--from") }
            ?? CalendarDate.day(of: Date(), in: timeZone)
        do {
            return try catalogue.write { db in
                try recordConsent(db, pupilID: pupil.id, purpose: purpose, decision: decision, from: day, note: note)
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// The consent register (for one pupil, or everyone), oldest first, with notes opened.
    public func consentHistory(pupilID: Int64? = nil) throws(EvidenceError) -> [(entry: ConsentEntry, note: String?)] {
        do {
            let rows = try catalogue.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM consent WHERE (?1 IS NULL OR pupil_id = ?1) ORDER BY pupil_id, purpose, effective_from, id
                        """,
                    arguments: [pupilID]
                )
            }
            return try rows.map { row in
                let sealed: Data? = row["note_sealed"]
                return (Self.consentEntry(row), try sealed.map { try master.open($0, context: "consent.note") })
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Adds one decision to the register, with its audit entry, inside the caller's transaction.
    func recordConsent(
        _ db: Database, pupilID: Int64, purpose: ConsentPurpose, decision: ConsentDecision, from day: String, note: String?
    ) throws -> ConsentEntry {
        let now = Date()
        try db.execute(
            sql: """
                INSERT INTO consent (pupil_id, purpose, decision, effective_from, recorded_at, recorded_by, note_sealed)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                pupilID, purpose.rawValue, decision.rawValue, day, now, actor,
                try note.map { try master.seal($0, context: "consent.note") },
            ]
        )
        try catalogue.appendAudit(
            db, actor: actor, action: "consent-set", pupilID: pupilID, detail: "\(purpose.rawValue)=\(decision.rawValue) from \(day)")
        return ConsentEntry(
            pupilID: pupilID, purpose: purpose, decision: decision, effectiveFrom: day, recordedAt: now, recordedBy: actor,
            sequence: db.lastInsertedRowID)
    }

    /// The whole register, for rule checks.
    func consentEntries(_ db: Database) throws -> [ConsentEntry] {
        try Row.fetchAll(db, sql: "SELECT * FROM consent ORDER BY id").map(Self.consentEntry)
    }

    static func consentEntry(_ row: Row) -> ConsentEntry {
        ConsentEntry(
            pupilID: row["pupil_id"],
            purpose: ConsentPurpose(rawValue: row["purpose"]) ?? .capture,
            decision: ConsentDecision(rawValue: row["decision"]) ?? .refused,
            effectiveFrom: row["effective_from"], recordedAt: row["recorded_at"], recordedBy: row["recorded_by"],
            sequence: row["id"]
        )
    }
}
