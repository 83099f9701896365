public import Catalogue
public import Foundation
internal import Vault

/// What an internal report (for staff) may show of a pupil's evidence, decided once per report by the consent gate.
struct ReportEvidence {
    /// The cards, oldest first.
    var cards: [EvidenceCard]
    /// Warnings for the person making the report (co-present pupils, unreviewed assets), in plain words.
    var warnings: [String]
    /// Every pupil the report shows (the subject, and anyone visible in an embedded poster frame).
    var shown: Set<PupilID>
}

extension Session {
    /// Who each asset shows (its appearance list, every tagged pupil included) and which assets staff have checked
    /// for who else is visible: what every consent decision about an output needs, read in one snapshot.
    func appearanceFacts(_ assets: [AssetID]) throws(EvidenceError) -> (shown: [AssetID: Set<PupilID>], reviewed: Set<AssetID>) {
        do {
            return try library.catalogue.read { store in
                (try store.pupilsShown(assetIDs: assets), Set(try assets.filter { try store.appearanceReview(assetID: $0) != nil }))
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// The query behind the school-wide outputs (moderation report and transfer): a period (default: this school
    /// year) and, optionally, one class; both codings.
    func schoolQuery(period periodText: String?, className: String?) throws(EvidenceError) -> (period: ReportPeriod, query: FindQuery) {
        let period = try periodText.map { (text) throws(EvidenceError) in try ReportPeriod.parse(text) }
            ?? ReportPeriod.academicYear(containing: today)
        var query = FindQuery()
        query.since = period.first
        query.until = period.last
        query.coding = nil
        if let className {
            query.pupils = try library.pupilDirectory().pupils.filter { $0.className?.lowercased() == className.lowercased() }.map(\.handle)
            guard !query.pupils.isEmpty else {
                throw EvidenceError(.usage, "No pupil is in class \(className).", field: Field("class"), value: className)
            }
        }
        return (period, query)
    }

    /// A pupil's current evidence over a period (first codings), oldest first.
    func evidenceViews(of pupil: Pupil, in period: ReportPeriod, notes: Bool = true) throws(EvidenceError) -> [ObservationView] {
        var query = FindQuery()
        query.pupils = [pupil.handle]
        query.since = period.first
        query.until = period.last
        let finder = Finder(self)
        return try finder.views(ids: finder.matchingObservationIDs(query), notes: notes)
    }

    /// The cards of an internal report: refused (exit 5) when consent restricts the subject's own evidence unless a
    /// break-glass `reason` is given; a poster frame showing another restricted pupil is left out, and one showing a
    /// pupil not cleared to appear in others' evidence is kept with a warning (the report stays in school).
    func internalReportEvidence(
        of pupil: Pupil, views: [ObservationView], posters: Bool, reason: String?
    ) throws(EvidenceError) -> ReportEvidence {
        let gate = try consentGate()
        let directory = try library.pupilDirectory()
        let assets = Array(Set(views.compactMap(\.asset)))
        let (shown, reviewed) = try appearanceFacts(assets)
        var result = ReportEvidence(cards: [], warnings: [], shown: [pupil.id])
        var notCleared: Set<PupilID> = []
        var unreviewed = 0
        for view in views {
            let day = String(view.occurredAt.prefix(10))
            if let own = gate.restriction(of: pupil.id, capturedOn: day), reason?.isEmpty ?? true {
                throw EvidenceError(
                    .refusedByConsent, "\(pupil.handle)'s evidence from \(day) is restricted (\(own)), so this report is not made.",
                    value: pupil.handle, remedy: .renewConsentOrErase(pupil: pupil.handle, purpose: .capture, from: today))
            }
            var card = EvidenceCard(view: view)
            guard let asset = view.asset else {
                // From home: no media, so nothing to picture and nobody else shown.
                result.cards.append(card)
                continue
            }
            let others = (shown[asset] ?? []).subtracting([pupil.id])
            if !gate.restrictions(showing: others, capturedOn: day).isEmpty {
                card.posterLeftOut = "it shows another pupil whose consent restricts its use"
            } else if posters {
                do {
                    card.poster = try ThumbnailMaker(self).reportPoster(asset: asset, atMs: view.startMs ?? 0)
                } catch {
                    guard error.category != .integrity else { throw error }
                    card.posterLeftOut = "no poster frame could be made"
                }
                if card.poster != nil {
                    result.shown.formUnion(others)
                    notCleared.formUnion(gate.notClearedToAppear(others, capturedOn: day))
                    if !reviewed.contains(asset) { unreviewed += 1 }
                }
            }
            result.cards.append(card)
        }
        if !notCleared.isEmpty {
            let names = notCleared.sorted().compactMap { directory.pupil(id: $0)?.handle }.joined(separator: ", ")
            result.warnings.append(
                "poster frames also show \(names), whose family has not agreed to them appearing in others' evidence: keep this report in school")
        }
        if unreviewed > 0 {
            result.warnings.append("\(unreviewed) poster frame(s) come from media nobody has checked for who else is visible")
        }
        return result
    }

    /// Audits a report before its first byte: one entry per pupil it shows.
    func auditReport(_ kind: String, shows pupils: Set<PupilID>, detail: String, reason: String?) throws(EvidenceError) {
        do {
            let note = try reason.flatMap { $0.isEmpty ? nil : $0 }.map { try library.master.seal($0, context: "audit.note") }
            try library.catalogue.write { store in
                for pupil in pupils.sorted() {
                    var draft = auditDraft("report-\(kind)", pupilID: pupil, detail: detail + (note == nil ? "" : " override=consent"))
                    draft.noteSealed = note
                    try store.appendAudit(draft)
                }
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }
}

extension ThumbnailMaker {
    /// A poster frame for a report (320 px wide), from the sealed cache when made before. Not audited here: the
    /// report audits itself once, naming every pupil it shows. Nil for photos libavcodec cannot decode (HEIC).
    func reportPoster(asset id: AssetID, atMs: Int64) throws(EvidenceError) -> Data? {
        let found: AssetRecord?
        do { found = try catalogue.read { store in try store.asset(id: id) } } catch { throw EvidenceError.from(error) }
        guard let asset = found else { return nil }
        return try poster(of: asset, atMs: atMs, width: 320)
    }
}
