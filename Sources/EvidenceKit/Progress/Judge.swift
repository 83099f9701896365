public import Catalogue
public import Foundation
internal import Vault

/// A teacher's judgement as staff see it.
public struct JudgementView: Sendable, Codable, Equatable {
    /// The pupil's handle.
    public var pupil: String
    /// The area.
    public var area: EngagementArea
    /// The period (`autumn-2026`, `year-2026`).
    public var period: String
    /// The narrative.
    public var text: String
    /// The observations it rests on.
    public var evidence: [ObservationID]
    /// Who recorded it.
    public var recordedBy: String
    /// When.
    public var recordedAt: Date
    /// Whether a newer judgement for the same area and period replaced it.
    public var replaced: Bool
}

/// Records and reads teachers' judgements of how established a pupil is in each area over a period: narrative,
/// linked to evidence, with history — no number, no scale, no ranking.
public struct Judge: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// Records a judgement (replacing, not erasing, an earlier one for the same area and period).
    @discardableResult
    public func record(
        pupil text: String, area: String, period: String, text narrative: String, evidence: [String] = []
    ) throws(EvidenceError) -> JudgementView {
        let pupil = try library.pupilDirectory().resolve(text)
        let area = try EngagementArea(parsing: area, field: Field("area"))
        _ = try CalendarDate.range(period, field: Field("period"))
        let narrative = narrative.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !narrative.isEmpty else {
            throw EvidenceError(.usage, "A judgement needs its narrative.", field: Field("text"))
        }
        guard let member = session.actor.staffMember else {
            throw EvidenceError(
                .usage, "A judgement is made by a member of staff, and \(session.actor.auditName) is not on the staff list.",
                field: Field("as"), remedy: .sayWhoIsActing)
        }
        var ids: [ObservationID] = []
        for item in evidence {
            ids.append(try Tagger.observationID(item))
        }
        do {
            let found = try catalogue.read { store in try store.observationDetails(ids: ids) }
            for id in ids {
                guard let detail = found.first(where: { $0.observation.id == id }), detail.observation.pupilID == pupil.id,
                    detail.observation.coding == .first
                else {
                    throw EvidenceError(
                        .usage, "Observation \(id) is not evidence of \(pupil.handle).", field: Field("evidence"),
                        value: id.description)
                }
            }
            let record = JudgementRecord(
                pupilID: pupil.id, area: area, period: period.lowercased(),
                textSealed: try library.master.seal(narrative, context: "judgement.text"), evidence: ids,
                recordedAt: session.clock(), recordedBy: member.handle)
            try catalogue.write { store in
                _ = try store.insertJudgement(record)
                try store.appendAudit(
                    session.auditDraft("judge", pupilID: pupil.id, detail: "area=\(area.rawValue) period=\(record.period)"))
            }
            return JudgementView(
                pupil: pupil.handle, area: area, period: record.period, text: narrative, evidence: ids,
                recordedBy: member.handle, recordedAt: record.recordedAt, replaced: false)
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// A pupil's judgements, oldest first, every version (the newest per area and period is current); only those
    /// of `period` when given. Audited as a view of the pupil's records.
    public func judgements(of pupil: Pupil, period: String? = nil) throws(EvidenceError) -> [JudgementView] {
        let views = try load(pupil, period: period)
        try session.audit("judgement-view", pupilID: pupil.id, detail: "rows=\(views.count)")
        return views
    }

    /// The judgements, not audited (a report audits itself once).
    func load(_ pupil: Pupil, period: String?) throws(EvidenceError) -> [JudgementView] {
        do {
            let records = try catalogue.read { store in try store.judgements(pupilID: pupil.id) }
            var newest: [String: Int64] = [:]
            for record in records { newest["\(record.area.rawValue) \(record.period)"] = record.id }
            return try records.filter { period == nil || $0.period == period?.lowercased() }.map { record in
                JudgementView(
                    pupil: pupil.handle, area: record.area, period: record.period,
                    text: try library.master.open(record.textSealed, context: "judgement.text"), evidence: record.evidence,
                    recordedBy: record.recordedBy, recordedAt: record.recordedAt,
                    replaced: newest["\(record.area.rawValue) \(record.period)"] != record.id)
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }
}
