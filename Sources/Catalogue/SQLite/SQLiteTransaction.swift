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
        for row in found { try macs.check(table: table, row: row) }
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
        for row in try Row.fetchAll(db, sql: sql) {
            try update.execute(arguments: StatementArguments([macs.mac(table: table, row: row)] + key.map { row[$0] as DatabaseValue }))
        }
    }

    /// The observations whose MAC is right now.
    func authenticatedObservationIDs() throws -> [Int64] {
        try Row.fetchAll(db, sql: Self.observationRowSQL)
            .filter { ($0["row_mac"] as Data?) == macs.mac(table: "observation", row: $0) }.map { $0["id"] }
    }

    /// Recomputes the MACs of these observations (after a migration rewrote what they cover).
    func authenticateObservations(_ ids: [Int64]) throws {
        let update = try db.makeStatement(sql: "UPDATE observation SET row_mac = ? WHERE id = ?")
        for id in ids {
            guard let row = try Row.fetchOne(db, sql: Self.observationRowSQL + " WHERE o.id = ?", arguments: [id]) else { continue }
            try update.execute(arguments: [macs.mac(table: "observation", row: row), id])
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
            while let row = try cursor.next() {
                if (row["row_mac"] as Data?) != macs.mac(table: table, row: row) {
                    return "\(table) row \(RowAuthentication.label(table: table, row: row))"
                }
            }
        }
        return nil
    }

    // MARK: - Assets

    func asset(id: AssetID) throws -> AssetRecord? {
        try checkedRows("asset", "SELECT * FROM asset WHERE id = ?", [id]).first.map { try AssetRecord(row: $0) }
    }

    func assets(idPrefix prefix: String) throws -> [AssetRecord] {
        try checkedRows("asset", "SELECT * FROM asset WHERE id LIKE ? LIMIT 10", [prefix.lowercased() + "%"])
            .map { try AssetRecord(row: $0) }
    }

    func allAssets() throws -> [AssetRecord] {
        try checkedRows("asset", "SELECT * FROM asset ORDER BY captured_at, id").map { try AssetRecord(row: $0) }
    }

    func allAssetIDs() throws -> Set<AssetID> {
        Set(try AssetID.fetchAll(db, sql: "SELECT id FROM asset"))
    }

    func insertAsset(_ record: AssetRecord) throws {
        var record = record
        if record.make != nil || record.model != nil {
            let make = record.make ?? "", model = record.model ?? ""
            try db.execute(sql: "INSERT OR IGNORE INTO device (make, model) VALUES (?, ?)", arguments: [make, model])
            record.deviceID = try Int64.fetchOne(
                db, sql: "SELECT id FROM device WHERE make = ? AND model = ?", arguments: [make, model])
        }
        try record.insert(db)
        try authenticate("asset", id: record.id)
    }

    func knownSource(_ fingerprint: Data) throws -> AssetID? {
        try AssetID.fetchOne(db, sql: "SELECT asset_id FROM source_file WHERE fingerprint = ?", arguments: [fingerprint])
    }

    func recordSource(_ fingerprint: Data, assetID: AssetID) throws {
        try db.execute(
            sql: "INSERT OR IGNORE INTO source_file (fingerprint, asset_id) VALUES (?, ?)",
            arguments: [fingerprint, assetID])
    }

    func assetID(contentHash: Data) throws -> AssetID? {
        try AssetID.fetchOne(db, sql: "SELECT id FROM asset WHERE content_hash = ?", arguments: [contentHash])
    }

    func hasPartialMatch(_ partialHash: Data) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM asset WHERE partial_hash = ?)", arguments: [partialHash])
            ?? false
    }

    func insertDerivedAsset(_ record: DerivedAssetRecord) throws {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO derived_asset (asset_id, source_asset_id, start_ms, end_ms, exact, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.assetID, record.sourceAssetID, record.startMs, record.endMs, record.exact, record.createdAt,
                record.createdBy,
            ])
    }

    func untaggedAssetIDs(kind: AssetKind?, capturedFrom: Date?, capturedBefore: Date?) throws -> [AssetID] {
        try AssetID.fetchAll(
            db,
            sql: """
                SELECT a.id FROM asset a
                WHERE NOT EXISTS (SELECT 1 FROM moment m JOIN observation o ON o.moment_id = m.id
                                  WHERE m.asset_id = a.id AND o.replaced_by IS NULL AND o.removed_at IS NULL AND o.coder IS NULL)
                  AND (?1 IS NULL OR a.kind = ?1) AND (?2 IS NULL OR a.captured_at >= ?2) AND (?3 IS NULL OR a.captured_at < ?3)
                ORDER BY a.captured_at, a.id
                """,
            arguments: [kind, capturedFrom, capturedBefore])
    }

    func addAppearances(assetID: AssetID, pupils: [PupilID], at: Date, by: String) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO appearance (asset_id, pupil_id, added_at, added_by, row_mac) VALUES (?, ?, ?, ?, ?)")
        let stamp = Timestamp.text(at)
        for pupil in pupils {
            // An appearance already recorded is kept as it was, MAC and all (INSERT OR IGNORE).
            let mac = macs.mac(
                table: "appearance", id: RowAuthentication.identity([assetID.databaseValue, pupil.databaseValue]),
                values: ["added_at": stamp.databaseValue, "added_by": by.databaseValue])
            try statement.execute(arguments: [assetID, pupil, stamp, by, mac])
        }
    }

    func appearances(assetID: AssetID) throws -> [PupilID] {
        try checkedRows("appearance", "SELECT * FROM appearance WHERE asset_id = ?", [assetID])
            .map { PupilID($0["pupil_id"] as Int64) }
    }

    func pupilsShown(assetIDs: [AssetID]) throws -> [AssetID: Set<PupilID>] {
        var shown: [AssetID: Set<PupilID>] = [:]
        for start in stride(from: 0, to: assetIDs.count, by: 400) {
            let chunk = Array(assetIDs[start..<min(start + 400, assetIDs.count)])
            let marks = chunk.map { _ in "?" }.joined(separator: ",")
            let rows = try Row.fetchCursor(
                db,
                // Tagging and importing record every pupil they tag as appearing, so the appearance table alone
                // is everyone an asset shows (and stays so when an observation is later untagged).
                sql: "SELECT * FROM appearance WHERE asset_id IN (\(marks))",
                arguments: StatementArguments(chunk.map(\.rawValue)))
            while let row = try rows.next() {
                try macs.check(table: "appearance", row: row)
                shown[AssetID(row[0] as String), default: []].insert(PupilID(row[1] as Int64))
            }
        }
        return shown
    }

    func recordAppearanceReview(_ review: AppearanceReviewRecord) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO appearance_review (asset_id, none_else, reviewed_at, reviewed_by, row_mac) VALUES (?, ?, ?, ?, ?)",
            arguments: [
                review.assetID, review.noneElse, review.reviewedAt, review.reviewedBy,
                macs.mac(
                    table: "appearance_review", id: RowAuthentication.identity([review.assetID.databaseValue]),
                    values: [
                        "none_else": review.noneElse.databaseValue, "reviewed_at": review.reviewedAt.databaseValue,
                        "reviewed_by": review.reviewedBy.databaseValue,
                    ]),
            ])
    }

    func appearanceReview(assetID: AssetID) throws -> AppearanceReviewRecord? {
        try checkedRows("appearance_review", "SELECT * FROM appearance_review WHERE asset_id = ?", [assetID]).first
            .map { try AppearanceReviewRecord(row: $0) }
    }

    // MARK: - Audit

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

    // MARK: - Ingest batches

    func insertBatch(_ batch: IngestBatchRecord) throws -> Int64 {
        var batch = batch
        try batch.insert(db)
        return batch.id ?? 0
    }

    func finishBatch(_ batch: IngestBatchRecord) throws { try batch.update(db) }

    // MARK: - People

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
        let judgements = try checkedRows("judgement", "SELECT id FROM judgement WHERE pupil_id = ?", [from])
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

    // MARK: - Consent

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
