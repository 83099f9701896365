public import Catalogue
public import Foundation

/// One photo or video in the tagging inbox.
public struct InboxItem: Sendable, Encodable {
    /// Where it stands.
    public enum State: String, Sendable, Encodable {
        /// No moment tagged yet.
        case untagged
        /// Some moments tagged, but a video not yet watched to its end.
        case partlyTagged
        /// Tagged, and (for a video) watched to its end.
        case done
    }

    /// The asset.
    public var asset: AssetID
    /// `photo` or `video`.
    public var kind: AssetKind
    /// Its MIME type.
    public var contentType: String
    /// Its name on the card (opened from the sealed column), which staff recognise.
    public var name: String?
    /// When it was taken.
    public var capturedAt: Date
    /// A video's length in milliseconds.
    public var durationMs: Int64?
    /// Moments with at least one current observation.
    public var moments: Int
    /// How far into the video staff have watched in the tagging page, or tagged (whichever is further), in ms.
    public var reviewedMs: Int64
    /// Where it stands.
    public var state: State
    /// Why consent keeps it back, one line per pupil (empty when it may be used).
    public var restrictions: [String]

    /// The share of a video reviewed, 0…1 (a photo: 1 once tagged).
    public var reviewedFraction: Double {
        guard let durationMs, durationMs > 0 else { return moments > 0 ? 1 : 0 }
        return min(1, Double(reviewedMs) / Double(durationMs))
    }
}

/// The tagging page's inbox: every photo and video, newest first, with how far each has been tagged and watched.
///
/// How far a video was watched comes from the audit log's `watch` entries (``Viewer/recordWatched(_:toMs:)``), so
/// it is as authenticated as the log and needs no table of its own.
public struct Inbox: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// A video counts as watched to its end within this much of it.
    static let endSlackMs: Int64 = 1_000

    /// Every asset, newest capture first.
    public func items() throws(EvidenceError) -> [InboxItem] {
        let records: [AssetRecord]
        let tagged: [AssetID: (count: Int, furthest: Int64)]
        let watched: [AssetID: Int64]
        do {
            (records, tagged, watched) = try catalogue.read { store in
                let records = try store.allAssets()
                // The current observations' ids asset by asset, then their details in one batch: a moment counts
                // while it has one, and how far it reaches is its end (a whole video reaches its length).
                var current: [ObservationID] = []
                for record in records { current += try store.currentObservationIDs(assetID: record.id) }
                let lengths = Dictionary(records.map { ($0.id, $0.durationMs ?? 0) }, uniquingKeysWith: { a, _ in a })
                var moments: [AssetID: Set<MomentID>] = [:]
                var furthest: [AssetID: Int64] = [:]
                for detail in try store.observationDetails(ids: current) {
                    guard let asset = detail.assetID else { continue }
                    moments[asset, default: []].insert(detail.observation.momentID)
                    furthest[asset] = max(furthest[asset] ?? 0, detail.endMs ?? lengths[asset] ?? 0)
                }
                var tagged: [AssetID: (Int, Int64)] = [:]
                for (asset, ids) in moments { tagged[asset] = (ids.count, furthest[asset] ?? 0) }
                var watched: [AssetID: Int64] = [:]
                for entry in try store.auditEntries(action: "watch") {
                    guard let asset = entry.assetID, let ms = Self.watchedMs(entry.detail) else { continue }
                    watched[asset] = max(watched[asset] ?? 0, ms)
                }
                return (records, tagged, watched)
            }
        } catch {
            throw EvidenceError.from(error)
        }
        let views = try AssetBrowser(session).views(of: records)
        return zip(records, views).map { record, view in
            let moments = tagged[record.id]?.count ?? 0
            let reviewed = max(tagged[record.id]?.furthest ?? 0, watched[record.id] ?? 0)
            let state: InboxItem.State =
                if moments == 0 { .untagged } else if let duration = record.durationMs, reviewed < duration - Self.endSlackMs {
                    .partlyTagged
                } else { .done }
            return InboxItem(
                asset: record.id, kind: record.kind, contentType: record.contentType, name: view.originalName, capturedAt: record.capturedAt, durationMs: record.durationMs,
                moments: moments, reviewedMs: reviewed, state: state, restrictions: view.restrictions)
        }.sorted { ($0.capturedAt, $0.asset.rawValue) > ($1.capturedAt, $1.asset.rawValue) }
    }

    /// The position in a `watch` entry's detail, `to=12345ms`.
    static func watchedMs(_ detail: String) -> Int64? {
        guard detail.hasPrefix("to="), detail.hasSuffix("ms") else { return nil }
        return Int64(detail.dropFirst(3).dropLast(2))
    }
}

extension Viewer {
    /// Records that staff watched `asset` in the page up to `toMs` (audited as `watch`, which the inbox reads).
    public func recordWatched(_ asset: AssetRecord, toMs: Int64) throws(EvidenceError) {
        let clamped = max(0, min(toMs, asset.durationMs ?? 0))
        try session.audit("watch", assetID: asset.id, detail: "to=\(clamped)ms")
    }
}
