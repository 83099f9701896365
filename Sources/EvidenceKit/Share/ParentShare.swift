public import Catalogue
public import Foundation
internal import CPosix
internal import Media

/// One moment a family may see, and how to make its file.
public struct ShareItem: Sendable, Codable, Equatable {
    /// The moment.
    public var moment: MomentID
    /// The observation it is shown for (the pupil's first current one in the moment).
    public var observation: ObservationID
    /// The asset.
    public var asset: AssetID
    /// Photo or video.
    public var kind: AssetKind
    /// The day, `YYYY-MM-DD`.
    public var date: String
    /// The day in words ("Wednesday 1 July 2026").
    public var dateWords: String
    /// Plain words from structured fields only (areas and responses), never a note.
    public var caption: String
    /// The range, ms (videos).
    var startMs: Int64
    var endMs: Int64
}

/// An item's file, ready to be sealed.
public struct SharedFile: Sendable {
    /// The bytes (plaintext: seal them at once).
    public var data: Data
    /// `video/mp4` or `image/jpeg`.
    public var mime: String
    /// A clip's length as cut (it starts at the keyframe at or before the moment).
    public var durationSeconds: Double?
}

/// What a share includes and leaves out, for staff (`--manifest`, `--json`).
public struct ShareManifest: Sendable, Codable, Equatable {
    /// A moment in the bundle.
    public struct Included: Sendable, Codable, Equatable {
        public var moment: MomentID
        public var observation: ObservationID
        public var date: String
        public var asset: AssetID
    }
    /// A moment left out, and every reason.
    public struct Excluded: Sendable, Codable, Equatable {
        public var moment: MomentID
        public var reasons: [String]
    }
    /// In the bundle.
    public var included: [Included]
    /// Left out.
    public var excluded: [Excluded]
}

/// Chooses what a family may see of their child's evidence and makes its files: the DESIGN.md rule through the
/// consent gate, every moment decided on its own, the share audited with its whole content list before any file
/// is made.
public struct ParentShare: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// The moments of `pupil` in `period` (default: this school year) that may leave the school, and the manifest.
    /// Nothing allowed is exit 5 (so no bundle is written).
    public func select(_ pupilText: String, period periodText: String? = nil) throws(EvidenceError)
        -> (pupil: Pupil, items: [ShareItem], manifest: ShareManifest)
    {
        let pupil = try library.pupilDirectory().resolve(pupilText)
        let period = try periodText.map { (text) throws(EvidenceError) in try ReportPeriod.parse(text) }
            ?? ReportPeriod.academicYear(containing: session.today)
        let gate = try session.consentGate()
        // Captions come from the tags, never a note: the notes stay sealed.
        let views = try session.evidenceViews(of: pupil, in: period, notes: false)
        let assets = Array(Set(views.compactMap(\.asset)))
        let (shown, reviewed) = try session.appearanceFacts(assets)
        var items: [ShareItem] = []
        var manifest = ShareManifest(included: [], excluded: [])
        var seen: Set<MomentID> = []
        for view in views where seen.insert(view.moment).inserted {
            guard let asset = view.asset, let kind = view.assetKind else {
                manifest.excluded.append(.init(moment: view.moment, reasons: ["an observation from home has no media to share"]))
                continue
            }
            let day = String(view.occurredAt.prefix(10))
            var reasons: [String] = []
            if let reason = gate.reasonNotToShare(
                subject: pupil.id, showing: shown[asset] ?? [], reviewed: reviewed.contains(asset), capturedOn: day)
            {
                reasons.append(reason)
            }
            let record = try library.asset(asset)
            if kind == .photo, ["image/heic", "image/heif", "image/avif"].contains(record.contentType) {
                reasons.append("this photo's format cannot be converted for sharing yet")
            }
            guard reasons.isEmpty else {
                manifest.excluded.append(.init(moment: view.moment, reasons: reasons))
                continue
            }
            let end = view.endMs ?? Int64(((record.durationSeconds ?? 0) * 1000).rounded())
            items.append(
                ShareItem(
                    moment: view.moment, observation: view.id, asset: asset, kind: kind, date: day,
                    dateWords: ShareWords.longDate(day), caption: ShareWords.caption(view), startMs: view.startMs ?? 0,
                    endMs: end))
            manifest.included.append(.init(moment: view.moment, observation: view.id, date: day, asset: asset))
        }
        guard !items.isEmpty else {
            throw EvidenceError(
                .refusedByConsent,
                "Nothing of \(pupil.handle)'s evidence in \(period.words) may leave the school (\(manifest.excluded.count) moment(s) considered), so no bundle is made.",
                value: pupil.handle, remedy: .recordConsent(pupil: pupil.handle, purpose: .familySharing, from: session.today))
        }
        return (pupil, items, manifest)
    }

    /// Audits the share before any file is made: one entry per pupil it shows, each listing every moment.
    public func audit(_ items: [ShareItem], for pupil: Pupil) throws(EvidenceError) {
        let shown: [AssetID: Set<PupilID>]
        do { shown = try catalogue.read { store in try store.pupilsShown(assetIDs: items.map(\.asset)) } } catch {
            throw EvidenceError.from(error)
        }
        let pupils = items.reduce(into: Set([pupil.id])) { $0.formUnion(shown[$1.asset] ?? []) }
        let detail = "for=\(pupil.id.rawValue) items=\(items.count) moments=\(items.map(\.moment.description).joined(separator: ","))"
        try session.auditReport("share", shows: pupils, detail: detail, reason: nil)
    }

    /// The file a family gets for an item: a video clip with no source metadata and its index first, or a photo
    /// re-encoded upright from decoded pixels (no EXIF, XMP or GPS survives). Call after ``audit(_:for:)``.
    public func file(for item: ShareItem) throws(EvidenceError) -> SharedFile {
        let asset = try library.asset(item.asset)
        switch item.kind {
        case .photo:
            do {
                let reader = try library.openBlob(asset)
                let jpeg = try Thumbnailer.jpeg(
                    source: VaultSource(reader), name: "asset \(asset.id.short)", atMs: 0, rotation: asset.rotation,
                    mirrored: asset.mirrored, width: min(1600, max(16, asset.width ?? 1600)))
                return SharedFile(data: jpeg, mime: "image/jpeg", durationSeconds: nil)
            } catch {
                throw EvidenceError.from(error)
            }
        case .video:
            let fd = csystem_memfd("evidence-share")
            guard fd >= 0 else {
                throw EvidenceError(.failure, "Could not make an in-memory file for a clip (memfd_create failed: errno \(errno)).")
            }
            defer { close(fd) }
            let cut = try Clipper(session).cut(
                ClipTarget(asset: asset, startMs: item.startMs, endMs: item.endMs, moment: item.moment),
                output: "/proc/self/fd/\(fd)", formatName: "mp4", forSharing: true)
            guard let data = FileManager.default.contents(atPath: "/proc/self/fd/\(fd)"), !data.isEmpty else {
                throw EvidenceError(.failure, "The clip of moment \(item.moment) came out empty.")
            }
            return SharedFile(data: data, mime: "video/mp4", durationSeconds: cut.durationSeconds)
        }
    }
}

extension Library {
    /// One asset by id.
    func asset(_ id: AssetID) throws(EvidenceError) -> AssetRecord {
        let found: AssetRecord?
        do { found = try catalogue.read { store in try store.asset(id: id) } } catch { throw EvidenceError.from(error) }
        guard let found else {
            throw EvidenceError(.integrity, "Asset \(id) is referred to but not in the catalogue.", value: id.rawValue)
        }
        return found
    }
}

/// The words a family sees: from structured fields only.
enum ShareWords {
    static func caption(_ view: ObservationView) -> String {
        let areas = FamilyWords.list(view.areas.map { $0.prefix(1).uppercased() + $0.dropFirst() })
        let responses = view.responses.map { $0.replacingOccurrences(of: "-", with: " ") }
        return responses.isEmpty ? "\(areas)." : "\(areas): \(FamilyWords.list(responses))."
    }

    /// "Wednesday 1 July 2026".
    static func longDate(_ day: String) -> String {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return day }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) else { return day }
        let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        return "\(weekdays[calendar.component(.weekday, from: date) - 1]) \(FamilyWords.longDate(day))"
    }
}
