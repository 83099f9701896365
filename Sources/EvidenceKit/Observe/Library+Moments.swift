public import Catalogue
public import Foundation
internal import GRDB

/// A moment of an asset with its current observations.
public struct MomentView: Sendable, Codable {
    /// `m12`.
    public var id: String
    /// Start in ms (nil: the whole asset).
    public var startMs: Int64?
    /// End in ms.
    public var endMs: Int64?
    /// The current observations, one per pupil tagged.
    public var observations: [ObservationView]

    /// The range as text, or `whole`.
    public var rangeText: String { TimeCode.range(startMs, endMs) }
}

/// Who can be seen in an asset, and whether staff have checked.
public struct AppearanceView: Sendable, Codable {
    /// The asset id.
    public var asset: String
    /// Pupils recorded as visible (handles).
    public var pupils: [String]
    /// Whether staff reviewed the asset for other pupils.
    public var reviewed: Bool
    /// Whether the review found nobody beyond `pupils`.
    public var noneElse: Bool
    /// Who reviewed it.
    public var reviewedBy: String?
    /// When.
    public var reviewedAt: Date?
}

extension Library {
    /// An asset's moments in time order (whole-asset moments first), with their current observations.
    public func moments(of asset: AssetRecord) throws(EvidenceError) -> [MomentView] {
        let rows: [Row]
        let observationIDs: [Int64]
        do {
            (rows, observationIDs) = try catalogue.read { db in
                let moments = try Row.fetchAll(
                    db, sql: "SELECT id, start_ms, end_ms FROM moment WHERE asset_id = ? ORDER BY start_ms, end_ms, id",
                    arguments: [asset.id])
                let ids = try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT o.id FROM observation o JOIN moment m ON m.id = o.moment_id
                        WHERE m.asset_id = ? AND o.replaced_by IS NULL AND o.removed_at IS NULL ORDER BY o.id
                        """,
                    arguments: [asset.id])
                return (moments, ids)
            }
        } catch {
            throw EvidenceError.from(error)
        }
        let views = Dictionary(grouping: try observationViews(ids: observationIDs), by: \.moment)
        return rows.map { row in
            let id = "m\(row["id"] as Int64)"
            return MomentView(id: id, startMs: row["start_ms"], endMs: row["end_ms"], observations: views[id] ?? [])
        }
    }

    /// Who appears in an asset. Adds pupils seen (`add`), and records a review: `noneElse` says nobody else is visible.
    public func appearances(
        of asset: AssetRecord, add: [String] = [], reviewed: Bool = false, noneElse: Bool = false
    ) throws(EvidenceError) -> AppearanceView {
        let directory = try pupilDirectory()
        var adding: [Pupil] = []
        for text in add { adding.append(try directory.resolve(text, option: "--add")) }
        do {
            return try catalogue.write { db in
                if !adding.isEmpty { try addAppearances(db, assetID: asset.id, pupils: adding) }
                if reviewed || noneElse {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO appearance_review (asset_id, none_else, reviewed_at, reviewed_by) VALUES (?, ?, ?, ?)",
                        arguments: [asset.id, noneElse, Date(), actor])
                }
                if !adding.isEmpty || reviewed || noneElse {
                    try catalogue.appendAudit(
                        db, actor: actor, action: "appearances", assetID: asset.id,
                        detail: "added=\(adding.count) reviewed=\(reviewed || noneElse) none-else=\(noneElse)")
                }
                let pupils = try Int64.fetchAll(db, sql: "SELECT pupil_id FROM appearance WHERE asset_id = ?", arguments: [asset.id])
                let review = try Row.fetchOne(db, sql: "SELECT * FROM appearance_review WHERE asset_id = ?", arguments: [asset.id])
                return AppearanceView(
                    asset: asset.id, pupils: pupils.compactMap { directory.pupil(id: $0)?.handle }.sorted(),
                    reviewed: review != nil, noneElse: review?["none_else"] ?? false,
                    reviewedBy: review?["reviewed_by"], reviewedAt: review?["reviewed_at"]
                )
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }
}
