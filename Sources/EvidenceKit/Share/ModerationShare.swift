public import Catalogue
public import Foundation

/// Chooses moments for a moderator in another school: those every pupil shown has moderation consent for, with
/// pupils named by initials only and each moment's codings (first and second) side by side in its caption.
public struct ModerationShare: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// The eligible moments of `period` (default: this school year), optionally one class's, and a reproducible
    /// sample of `sample` of them (all when fewer). Nothing eligible is exit 5.
    public func select(period periodText: String? = nil, className: String? = nil, sample: Int? = nil) throws(EvidenceError)
        -> (items: [ShareItem], manifest: ShareManifest, pupils: Set<PupilID>)
    {
        let (period, query) = try session.schoolQuery(period: periodText, className: className)
        let directory = try library.pupilDirectory()
        let finder = Finder(session)
        let views = try finder.views(ids: finder.matchingObservationIDs(query), notes: false)
        let gate = try session.consentGate()
        let assets = Array(Set(views.compactMap(\.asset)))
        let (shown, reviewed) = try session.appearanceFacts(assets)
        var manifest = ShareManifest(included: [], excluded: [])
        var candidates: [(ShareItem, Set<PupilID>)] = []
        let byMoment = Dictionary(grouping: views.filter { $0.asset != nil }, by: \.moment)
        for moment in byMoment.keys.sorted() {
            let codings = byMoment[moment] ?? []
            guard let first = codings.first, let asset = first.asset, let kind = first.assetKind else { continue }
            let day = String(first.occurredAt.prefix(10))
            let pupils = (shown[asset] ?? []).union(codings.compactMap { directory.pupil(handle: $0.pupil)?.id })
            if let reason = gate.reasonNotToModerate(showing: pupils, reviewed: reviewed.contains(asset), capturedOn: day) {
                manifest.excluded.append(.init(moment: moment, reasons: [reason]))
                continue
            }
            let record = try library.asset(asset)
            let captions = codings.map { view -> String in
                let who = directory.pupil(handle: view.pupil).map(Self.initials) ?? "?"
                return "\(who), coded by \(view.observer): \(ShareWords.caption(view))"
            }
            let end = first.endMs ?? Int64(((record.durationSeconds ?? 0) * 1000).rounded())
            candidates.append(
                (
                    ShareItem(
                        moment: moment, observation: first.id, asset: asset, kind: kind, date: day,
                        dateWords: ShareWords.longDate(day), caption: captions.joined(separator: " "), startMs: first.startMs ?? 0,
                        endMs: end), pupils
                ))
        }
        if let sample, sample < candidates.count {
            var random = SplitMix64(seed: 0x5A4D)
            let chosen = Set(Array(candidates.indices).shuffled(using: &random).prefix(max(0, sample)))
            for index in candidates.indices where !chosen.contains(index) {
                manifest.excluded.append(.init(moment: candidates[index].0.moment, reasons: ["not in the sample"]))
            }
            candidates = candidates.indices.filter(chosen.contains).map { candidates[$0] }
        }
        guard !candidates.isEmpty else {
            throw EvidenceError(
                .refusedByConsent,
                "No moment in \(period.words) may go to a moderator (\(manifest.excluded.count) considered): each needs its media checked and moderation consent for every pupil it shows.")
        }
        manifest.included = candidates.map { .init(moment: $0.0.moment, observation: $0.0.observation, date: $0.0.date, asset: $0.0.asset) }
        return (candidates.map(\.0), manifest, candidates.reduce(into: Set<PupilID>()) { $0.formUnion($1.1) })
    }

    /// Audits the transfer before any file is made: one entry per pupil shown, each listing every moment.
    public func audit(_ items: [ShareItem], showing pupils: Set<PupilID>) throws(EvidenceError) {
        let detail = "for=moderation items=\(items.count) moments=\(items.map(\.moment.description).joined(separator: ","))"
        try session.auditReport("share", shows: pupils, detail: detail, reason: nil)
    }

    /// A pupil's initials ("A. K."), all a moderator sees of them.
    static func initials(_ pupil: Pupil) -> String {
        let (forename, surname) = pupil.nameParts
        return [forename, surname].compactMap { $0.first.map { "\($0)." } }.joined(separator: " ")
    }
}
