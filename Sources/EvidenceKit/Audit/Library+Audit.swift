public import Foundation
public import Catalogue
internal import GRDB

/// One audit entry as shown to staff.
public struct AuditView: Sendable, Codable {
    /// Sequence number.
    public var seq: Int64
    /// When.
    public var at: Date
    /// Who.
    public var actor: String
    /// What.
    public var action: String
    /// Which asset.
    public var asset: String?
    /// Which pupil (handle).
    public var pupil: String?
    /// Detail.
    public var detail: String
}

/// The result of checking the audit chain.
public struct AuditCheck: Sendable, Codable {
    /// Entries checked.
    public var entries: Int
    /// The first entry whose hash, order or link does not check, if any.
    public var firstBroken: Int64?
    /// Whether the chain is intact.
    public var intact: Bool { firstBroken == nil }
}

extension Library {
    /// Audit entries, oldest first, optionally only those about one pupil (their tags, consent and exports) or asset.
    public func auditEntries(pupil: Pupil? = nil, asset: AssetRecord? = nil) throws(EvidenceError) -> [AuditView] {
        let directory = try pupilDirectory()
        do {
            let rows = try catalogue.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT seq, at, actor, action, asset_id, pupil_id, detail FROM audit
                        WHERE (?1 IS NULL OR pupil_id = ?1) AND (?2 IS NULL OR asset_id = ?2) ORDER BY seq
                        """,
                    arguments: [pupil?.id, asset?.id])
            }
            return rows.map { row in
                AuditView(
                    seq: row["seq"], at: row["at"], actor: row["actor"], action: row["action"], asset: row["asset_id"],
                    pupil: (row["pupil_id"] as Int64?).flatMap { directory.pupil(id: $0)?.handle }, detail: row["detail"])
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Re-computes the keyed hash chain: an edited, deleted, inserted or reordered row is found.
    public func checkAudit() throws(EvidenceError) -> AuditCheck {
        do {
            let (count, broken) = try catalogue.verifyAudit()
            return AuditCheck(entries: count, firstBroken: broken)
        } catch {
            throw EvidenceError.from(error)
        }
    }
}
