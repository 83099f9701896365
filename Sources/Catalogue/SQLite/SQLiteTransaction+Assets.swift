import Foundation
import GRDB

/// The asset store: assets, their source files, derived clips and who appears in them.
extension SQLiteTransaction {
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
            var layout = RowAuthentication.StatementLayout("appearance")
            while let row = try rows.next() {
                try macs.check(row: row, layout: layout.of(row))
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
}
