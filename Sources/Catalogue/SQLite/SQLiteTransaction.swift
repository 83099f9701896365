import Foundation
import GRDB

/// The GRDB implementation of every store, over one SQLite connection inside one transaction.
struct SQLiteTransaction: CatalogueTransaction {
    let db: Database
    let auditHasher: @Sendable (Data, String) -> Data
    /// Where a write transaction records the chain head it leaves (nil when reading).
    let head: AuditHead?
    /// Row MACs: written with every insert and update, checked on every read that uses the row.
    let macs: RowAuthentication

    /// Reads rows and checks each one's MAC.
    func checkedRows(_ table: String, _ sql: String, _ arguments: StatementArguments = []) throws -> [Row] {
        let found = try Row.fetchAll(db, sql: sql, arguments: arguments)
        var layout = RowAuthentication.StatementLayout(table)
        for row in found { try macs.check(row: row, layout: layout.of(row)) }
        return found
    }

    /// Computes and stores the MAC of a row as it is now stored (read back, so the MAC covers exactly what SQLite
    /// keeps).
    func authenticate(_ table: String, id: any DatabaseValueConvertible) throws {
        let select =
            table == "observation"
            ? Self.observationRowSQL + " WHERE o.id = ?"
            : "SELECT * FROM \(table) WHERE id = ?"
        guard let row = try Row.fetchOne(db, sql: select, arguments: [id]) else { return }
        try db.execute(
            sql: "UPDATE \(table) SET row_mac = ? WHERE id = ?", arguments: [macs.mac(table: table, row: row), id])
    }

    /// The tables whose rows carry a MAC.
    static let authenticatedTables = [
        "asset", "pupil", "staff", "consent", "moment", "observation", "appearance", "appearance_review", "judgement",
    ]

    /// Computes and stores the MAC of every row of `table` (the migration that introduces them).
    func authenticateAll(_ table: String) throws {
        let sql = table == "observation" ? Self.observationRowSQL : "SELECT * FROM \(table)"
        let key = RowAuthentication.keys[table] ?? ["id"]
        let update = try db.makeStatement(
            sql: "UPDATE \(table) SET row_mac = ? WHERE " + key.map { "\($0) = ?" }.joined(separator: " AND "))
        var layout = RowAuthentication.StatementLayout(table)
        for row in try Row.fetchAll(db, sql: sql) {
            try update.execute(arguments: StatementArguments([macs.mac(row: row, layout: layout.of(row))] + key.map { row[$0] as DatabaseValue }))
        }
    }

    /// The observations whose MAC is right now.
    func authenticatedObservationIDs() throws -> [Int64] {
        var layout = RowAuthentication.StatementLayout("observation")
        return try Row.fetchAll(db, sql: Self.observationRowSQL).filter { macs.isAuthentic($0, layout: layout.of($0)) }.map { $0["id"] }
    }

    /// Recomputes the MACs of these observations (after a migration rewrote what they cover).
    func authenticateObservations(_ ids: [Int64]) throws {
        let update = try db.makeStatement(sql: "UPDATE observation SET row_mac = ? WHERE id = ?")
        var layout = RowAuthentication.StatementLayout("observation")
        for id in ids {
            guard let row = try Row.fetchOne(db, sql: Self.observationRowSQL + " WHERE o.id = ?", arguments: [id]) else { continue }
            try update.execute(arguments: [macs.mac(row: row, layout: layout.of(row)), id])
        }
    }

    /// An observation row with its sorted responses and staff, as its MAC covers it.
    static let observationRowSQL = """
        SELECT o.*,
            (SELECT group_concat(response, ',') FROM observation_response r WHERE r.observation_id = o.id) AS responses,
            (SELECT group_concat(staff_id, ',') FROM observation_staff s WHERE s.observation_id = o.id) AS staff_ids
        FROM observation o
        """

    func firstUnauthenticatedRow() throws -> String? {
        for table in Self.authenticatedTables {
            let sql = table == "observation" ? Self.observationRowSQL : "SELECT * FROM \(table)"
            let cursor = try Row.fetchCursor(db, sql: sql)
            var layout = RowAuthentication.StatementLayout(table)
            while let row = try cursor.next() {
                if !macs.isAuthentic(row, layout: layout.of(row)) {
                    return "\(table) row \(RowAuthentication.label(table: table, row: row))"
                }
            }
        }
        return nil
    }

    // MARK: - Ingest batches

    func insertBatch(_ batch: IngestBatchRecord) throws -> Int64 {
        var batch = batch
        try batch.insert(db)
        return batch.id ?? 0
    }

    func finishBatch(_ batch: IngestBatchRecord) throws { try batch.update(db) }
}
