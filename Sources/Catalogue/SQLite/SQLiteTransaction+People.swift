import Foundation
import GRDB

/// The people store: pupils and staff, their merges and removals.
extension SQLiteTransaction {
    func pupilRecords() throws -> [PupilRecord] {
        try checkedRows("pupil", "SELECT * FROM pupil").map { try PupilRecord(row: $0) }
    }

    func insertPupil(_ record: PupilRecord) throws -> PupilID {
        // An id is never reused, even after a pupil is removed or merged: the audit log names pupils by id, and an
        // old entry must never come to name a different child.
        let next =
            try Int64.fetchOne(
                db, sql: "SELECT max(coalesce((SELECT max(id) FROM pupil), 0), coalesce((SELECT max(pupil_id) FROM audit), 0)) + 1")
            ?? 1
        try db.execute(
            sql: """
                INSERT INTO pupil (id, lookup, upn_lookup, profile_sealed, year_group, class_name, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                next, record.lookup, record.upnLookup, record.profileSealed, record.yearGroup, record.className,
                record.createdAt, record.updatedAt,
            ])
        let id = PupilID(next)
        try authenticate("pupil", id: id)
        return id
    }

    func updatePupil(_ record: PupilRecord) throws {
        try db.execute(
            sql: """
                UPDATE pupil SET upn_lookup = ?, profile_sealed = ?, year_group = ?, class_name = ?, updated_at = ?
                WHERE id = ?
                """,
            arguments: [
                record.upnLookup, record.profileSealed, record.yearGroup, record.className, record.updatedAt, record.id,
            ])
        try authenticate("pupil", id: record.id)
    }

    func staffRecords() throws -> [StaffRecord] {
        try checkedRows("staff", "SELECT * FROM staff").map { try StaffRecord(row: $0) }
    }

    func staffExists(lookup: Data) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM staff WHERE lookup = ?)", arguments: [lookup]) ?? false
    }

    func insertStaff(_ record: StaffRecord) throws -> StaffID {
        try db.execute(
            sql: "INSERT INTO staff (lookup, profile_sealed, created_at) VALUES (?, ?, ?)",
            arguments: [record.lookup, record.profileSealed, record.createdAt])
        let id = StaffID(db.lastInsertedRowID)
        try authenticate("staff", id: id)
        return id
    }

    func referencesTo(pupil: PupilID) throws -> [String] {
        try Self.counted(
            db,
            [
                ("observation(s)", "SELECT count(*) FROM observation WHERE pupil_id = ?"),
                ("appearance(s)", "SELECT count(*) FROM appearance WHERE pupil_id = ?"),
                ("consent decision(s)", "SELECT count(*) FROM consent WHERE pupil_id = ?"),
                ("judgement(s)", "SELECT count(*) FROM judgement WHERE pupil_id = ?"),
            ], [pupil])
    }

    func removePupil(_ id: PupilID) throws { try db.execute(sql: "DELETE FROM pupil WHERE id = ?", arguments: [id]) }

    func mergePupil(_ from: PupilID, into: PupilID) throws -> PupilMerge {
        var merge = PupilMerge()
        // Checked before anything moves, so a changed row is found, not laundered by re-authenticating it.
        let observations = try checkedRows("observation", Self.observationRowSQL + " WHERE o.pupil_id = ?", [from])
        for row in observations {
            let id: Int64 = row["id"]
            try db.execute(sql: "UPDATE observation SET pupil_id = ? WHERE id = ?", arguments: [into, id])
            try authenticate("observation", id: id)
        }
        merge.observations = observations.count
        let appearances = try checkedRows("appearance", "SELECT * FROM appearance WHERE pupil_id = ?", [from])
        try db.execute(sql: "DELETE FROM appearance WHERE pupil_id = ?", arguments: [from])
        let insert = try db.makeStatement(
            sql: "INSERT OR IGNORE INTO appearance (asset_id, pupil_id, added_at, added_by, row_mac) VALUES (?, ?, ?, ?, ?)")
        for row in appearances {
            // Kept as recorded (when, by whom); only the pupil changes. Already recorded for `into`: kept as it was.
            let asset: DatabaseValue = row["asset_id"]
            let values: [String: DatabaseValue] = ["added_at": row["added_at"], "added_by": row["added_by"]]
            let mac = macs.mac(table: "appearance", id: RowAuthentication.identity([asset, into.databaseValue]), values: values)
            try insert.execute(arguments: [asset, into, values["added_at"], values["added_by"], mac])
        }
        merge.appearances = appearances.count
        let consent = try consentRecords(pupilID: from)
        try db.execute(sql: "DELETE FROM consent WHERE pupil_id = ?", arguments: [from])
        for var record in consent {
            record.pupilID = into
            _ = try insertConsent(record)
        }
        merge.consentDecisions = consent.count
        // The whole row: its MAC covers every column, so selecting the id alone would never authenticate.
        let judgements = try checkedRows("judgement", "SELECT * FROM judgement WHERE pupil_id = ?", [from])
        for row in judgements {
            try db.execute(sql: "UPDATE judgement SET pupil_id = ? WHERE id = ?", arguments: [into, row["id"] as Int64])
            try authenticate("judgement", id: row["id"] as Int64)
        }
        try removePupil(from)
        return merge
    }

    func referencesTo(staff: StaffID, handle: String) throws -> [String] {
        try Self.counted(db, [("observation(s) with them present", "SELECT count(*) FROM observation_staff WHERE staff_id = ?")], [staff])
            + Self.counted(
                db,
                [
                    ("observation(s) they recorded", "SELECT count(*) FROM observation WHERE observer = ?"),
                    ("audit entry(s) of theirs", "SELECT count(*) FROM audit WHERE actor = ? AND action != 'staff-add'"),
                ], [handle])
    }

    func removeStaff(_ id: StaffID) throws { try db.execute(sql: "DELETE FROM staff WHERE id = ?", arguments: [id]) }

    /// "N things" for each count query that finds some; a noun is written `thing(s)`, its plural made by the count.
    private static func counted(
        _ db: Database, _ queries: [(String, String)], _ arguments: StatementArguments
    ) throws -> [String] {
        try queries.compactMap { noun, sql in
            let n = try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
            guard n > 0 else { return nil }
            let word = n == 1 ? noun.replacingOccurrences(of: "(s)", with: "") : noun.replacingOccurrences(of: "y(s)", with: "ies").replacingOccurrences(of: "(s)", with: "s")
            return "\(n) \(word)"
        }
    }
}
