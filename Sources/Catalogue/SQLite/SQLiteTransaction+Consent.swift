import Foundation
import GRDB

/// The consent store (append-only register) and the vocabulary store.
extension SQLiteTransaction {
    func insertConsent(_ record: ConsentRecord) throws -> Int64 {
        // The register is append-only (a trigger refuses UPDATE), so the row is written whole, MAC included: its id
        // is chosen here, inside the write transaction.
        let id = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM consent")) ?? 1
        let values: [String: DatabaseValue] = [
            "pupil_id": record.pupilID.databaseValue, "purpose": record.purpose.databaseValue,
            "decision": record.decision.databaseValue, "effective_from": record.effectiveFrom.databaseValue,
            "recorded_at": record.recordedAt.databaseValue, "recorded_by": record.recordedBy.databaseValue,
            "note_sealed": record.noteSealed.databaseValue,
        ]
        try db.execute(
            sql: """
                INSERT INTO consent (id, pupil_id, purpose, decision, effective_from, recorded_at, recorded_by, note_sealed, row_mac)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, record.pupilID, record.purpose, record.decision, record.effectiveFrom, record.recordedAt,
                record.recordedBy, record.noteSealed, macs.mac(table: "consent", id: id.databaseValue, values: values),
            ])
        return id
    }

    func consentRecords(pupilID: PupilID?) throws -> [ConsentRecord] {
        try checkedRows("consent", "SELECT * FROM consent WHERE (?1 IS NULL OR pupil_id = ?1) ORDER BY id", [pupilID])
            .map { try ConsentRecord(row: $0) }
    }

    // MARK: - Vocabulary

    func terms(_ kind: VocabularyKind) throws -> [StoredTerm] {
        try Row.fetchAll(
            db, sql: "SELECT term, term_sealed FROM vocabulary WHERE kind = ? ORDER BY term", arguments: [kind.rawValue]
        ).map { row in
            guard let sealed = row["term_sealed"] as Data? else {
                throw CatalogueError(
                    code: .corruptRow,
                    message: "The catalogue's vocabulary row \(row["term"] as String? ?? "?") has no sealed term: it was added outside evidence. Check the whole library and restore the catalogue from a backup.")
            }
            return StoredTerm(token: row["term"], sealed: sealed)
        }
    }

    func responsesInUse() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT response FROM observation_response ORDER BY response")
    }

    func addTerm(_ term: StoredTerm, kind: VocabularyKind) throws {
        try db.execute(
            sql: "INSERT OR IGNORE INTO vocabulary (kind, term, term_sealed) VALUES (?, ?, ?)",
            arguments: [kind.rawValue, term.token, term.sealed])
    }
}
