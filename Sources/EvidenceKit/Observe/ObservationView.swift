public import Foundation
internal import Catalogue
internal import GRDB
internal import Media
internal import Vault

/// One current observation as shown to staff (`moments`, `find`), sealed fields opened in memory.
public struct ObservationView: Sendable, Codable, Equatable {
    /// `o34`.
    public var id: String
    /// `m12`.
    public var moment: String
    /// The asset id.
    public var asset: String
    /// `photo` or `video`.
    public var assetKind: String
    /// Start of the range in ms (nil: the whole asset).
    public var startMs: Int64?
    /// End of the range in ms.
    public var endMs: Int64?
    /// When it happened (capture time plus the start), ISO 8601 with the capture's offset when known.
    public var occurredAt: String
    /// The pupil's handle.
    public var pupil: String
    /// Areas, in the model's order.
    public var areas: [String]
    /// Observed responses.
    public var responses: [String]
    /// `intentional`, `reflexive`, `unsure`.
    public var intent: String?
    /// Prompt level.
    public var prompt: String?
    /// Context: activity.
    public var activity: String?
    /// Context: setting.
    public var setting: String?
    /// Context: equipment.
    public var equipment: String?
    /// Staff with the pupil (handles).
    public var withStaff: [String]
    /// EHC plan outcome number.
    public var outcome: Int?
    /// The note, opened.
    public var note: String?
    /// Who recorded it.
    public var observer: String
    /// When it was recorded.
    public var recordedAt: Date

    /// The range as text, or `whole` for a photo or a whole video.
    public var rangeText: String { TimeCode.range(startMs, endMs) }
}

extension Library {
    /// The current observations whose row ids are in `ids`, in the order given.
    func observationViews(ids: [Int64]) throws(EvidenceError) -> [ObservationView] {
        guard !ids.isEmpty else { return [] }
        let directory = try pupilDirectory()
        let staff = Dictionary(try staffMembers().map { ($0.id, $0.handle) }, uniquingKeysWith: { a, _ in a })
        do {
            var views: [Int64: ObservationView] = [:]
            try catalogue.read { db in
                try IDChunks.forEach(ids) { marks, arguments in
                    let rows = try Row.fetchAll(
                        db,
                        sql: """
                            SELECT o.*, m.asset_id, m.start_ms, m.end_ms, a.kind, a.captured_at AS asset_captured_at,
                                a.utc_offset_seconds,
                                (SELECT group_concat(response, ',') FROM observation_response r WHERE r.observation_id = o.id) AS responses,
                                (SELECT group_concat(staff_id, ',') FROM observation_staff s WHERE s.observation_id = o.id) AS staff_ids
                            FROM observation o JOIN moment m ON m.id = o.moment_id JOIN asset a ON a.id = m.asset_id
                            WHERE o.id IN (\(marks))
                            """,
                        arguments: arguments
                    )
                    for row in rows {
                        let id: Int64 = row["id"]
                        let sealed: Data? = row["note_sealed"]
                        let staffIDs = ((row["staff_ids"] as String?) ?? "").split(separator: ",").compactMap { Int64($0) }
                        let occurred: Date = row["occurred_at"]
                        views[id] = ObservationView(
                            id: "o\(id)", moment: "m\(row["moment_id"] as Int64)", asset: row["asset_id"],
                            assetKind: row["kind"], startMs: row["start_ms"], endMs: row["end_ms"],
                            occurredAt: CaptureTime.format(
                                occurred,
                                offsetSeconds: row["utc_offset_seconds"] ?? timeZone.secondsFromGMT(for: occurred)),
                            pupil: directory.pupil(id: row["pupil_id"])?.handle ?? "?",
                            areas: EngagementArea.areas(in: row["areas"]).map(\.rawValue),
                            responses: ((row["responses"] as String?) ?? "").split(separator: ",").map(String.init).sorted(),
                            intent: row["intent"], prompt: row["prompt"], activity: row["activity"],
                            setting: row["setting"], equipment: row["equipment"],
                            withStaff: staffIDs.compactMap { staff[$0] }.sorted(), outcome: row["outcome"],
                            note: try sealed.map { try master.open($0, context: "observation.note") },
                            observer: row["observer"], recordedAt: row["created_at"]
                        )
                    }
                }
            }
            return ids.compactMap { views[$0] }
        } catch {
            throw EvidenceError.from(error)
        }
    }
}
