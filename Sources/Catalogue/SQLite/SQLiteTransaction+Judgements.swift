import Foundation
import GRDB

extension SQLiteTransaction {
    func insertJudgement(_ record: JudgementRecord) throws -> Int64 {
        let id = try nextID("judgement")
        let evidence = record.evidence.map { String($0.rawValue) }.joined(separator: ",")
        let recordedAt = Timestamp.text(record.recordedAt)
        let values: [String: DatabaseValue] = [
            "pupil_id": record.pupilID.databaseValue, "area": record.area.rawValue.databaseValue,
            "period": record.period.databaseValue, "text_sealed": record.textSealed.databaseValue,
            "evidence": evidence.databaseValue, "recorded_at": recordedAt.databaseValue,
            "recorded_by": record.recordedBy.databaseValue,
        ]
        try db.execute(
            sql: """
                INSERT INTO judgement (id, pupil_id, area, period, text_sealed, evidence, recorded_at, recorded_by, row_mac)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, record.pupilID, record.area.rawValue, record.period, record.textSealed, evidence, recordedAt,
                record.recordedBy, macs.mac(table: "judgement", id: id.databaseValue, values: values),
            ])
        return id
    }

    func judgements(pupilID: PupilID) throws -> [JudgementRecord] {
        try checkedRows("judgement", "SELECT * FROM judgement WHERE pupil_id = ? ORDER BY id", [pupilID]).map { row in
            guard let area = EngagementArea(rawValue: row["area"]) else {
                throw CatalogueError(code: .corruptRow, message: "Judgement \(row["id"] as Int64) names an area this version does not know.")
            }
            return JudgementRecord(
                id: row["id"], pupilID: PupilID(row["pupil_id"] as Int64), area: area, period: row["period"],
                textSealed: row["text_sealed"],
                evidence: ((row["evidence"] as String?) ?? "").split(separator: ",").compactMap { Int64($0) }.map(ObservationID.init),
                recordedAt: row["recorded_at"], recordedBy: row["recorded_by"])
        }
    }
}
