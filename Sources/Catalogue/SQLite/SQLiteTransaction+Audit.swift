import Foundation
import GRDB

/// The audit store: the hash-chained, append-only log.
extension SQLiteTransaction {
    func appendAudit(_ draft: AuditDraft) throws {
        // The head this transaction left, else the last stored entry: a long import appends thousands in one
        // transaction, and reading (and decoding) the last entry back each time was a tenth of it.
        let last: AuditPosition?
        if let position = head?.position {
            last = position
        } else if let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1") {
            last = AuditPosition(seq: row["seq"], hash: row["hash"])
        } else {
            last = nil
        }
        var entry = AuditRecord(
            seq: (last?.seq ?? 0) + 1,
            // SQLite keeps dates to the millisecond; hash exactly what is stored.
            at: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000),
            actor: draft.actor,
            action: draft.action,
            assetID: draft.assetID,
            detail: draft.detail,
            pupilID: draft.pupilID,
            noteSealed: draft.noteSealed,
            previousHash: last?.hash ?? Data(count: 32),
            hash: Data()
        )
        entry.hash = auditHasher(entry.previousHash, entry.canonicalFields)
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO audit (seq, at, actor, action, asset_id, detail, pupil_id, note_sealed, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(arguments: [
            entry.seq, entry.at, entry.actor, entry.action, entry.assetID, entry.detail, entry.pupilID, entry.noteSealed,
            entry.previousHash, entry.hash,
        ])
        head?.position = AuditPosition(seq: entry.seq, hash: entry.hash)
    }

    func auditEntries(pupilID: PupilID?, assetID: AssetID?) throws -> [AuditRecord] {
        try AuditRecord.fetchAll(
            db,
            sql: """
                SELECT * FROM audit WHERE (?1 IS NULL OR pupil_id = ?1) AND (?2 IS NULL OR asset_id = ?2) ORDER BY seq
                """,
            arguments: [pupilID, assetID])
    }

    func auditEntries(action: String) throws -> [AuditRecord] {
        try AuditRecord.fetchAll(db, sql: "SELECT * FROM audit WHERE action = ? ORDER BY seq", arguments: [action])
    }
}
