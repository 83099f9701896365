public import Foundation
public import Catalogue
internal import Media
internal import Vault

/// One current observation as shown to staff (`moments`, `find`), sealed fields opened in memory.
public struct ObservationView: Sendable, Codable, Equatable {
    /// `o34`.
    public var id: ObservationID
    /// `m12`.
    public var moment: MomentID
    /// The asset id.
    public var asset: AssetID
    /// Photo or video.
    public var assetKind: AssetKind
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

extension Session {
    /// Staff views of stored observations: handles for ids, the note opened in memory.
    func views(of details: [ObservationDetail]) throws(EvidenceError) -> [ObservationView] {
        let directory = try library.pupilDirectory()
        let staff = Dictionary(try library.staffMembers().map { ($0.id, $0.handle) }, uniquingKeysWith: { a, _ in a })
        do {
            return try details.map { detail in
                let o = detail.observation
                return ObservationView(
                    id: o.id, moment: o.momentID, asset: detail.assetID, assetKind: detail.assetKind,
                    startMs: detail.startMs, endMs: detail.endMs,
                    occurredAt: CaptureTime.format(
                        o.occurredAt, offsetSeconds: detail.utcOffsetSeconds ?? timeZone.secondsFromGMT(for: o.occurredAt)),
                    pupil: directory.pupil(id: o.pupilID)?.handle ?? "?", areas: o.areas.members.map(\.rawValue),
                    responses: o.responses, intent: o.intent?.rawValue, prompt: o.prompt?.rawValue,
                    activity: o.activity, setting: o.setting, equipment: o.equipment,
                    withStaff: o.staffIDs.compactMap { staff[$0] }.sorted(), outcome: o.outcome,
                    note: try o.noteSealed.map { try library.master.open($0, context: "observation.note") },
                    observer: o.observer, recordedAt: o.createdAt)
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }
}
