public import Catalogue
public import Foundation

/// Evidence for an EHC plan annual review, grouped by the plan's outcomes.
public struct EHCReport: Sendable, Encodable {
    /// The pupil's handle.
    public var pupil: String
    /// The pupil's name.
    public var name: String
    /// The period covered.
    public var covers: ReportPeriod
    /// The day it was made.
    public var madeOn: String
    /// Who made it.
    public var madeBy: String
    /// One section per outcome in the plan, in its order.
    public var outcomes: [OutcomeSection]
    /// The current judgements of the period, by area.
    public var judgements: [JudgementView]
    /// What the person making it should know.
    public var warnings: [String]
}

/// One EHC outcome's evidence: the earliest and the latest moment side by side, and what the evidence shows.
public struct OutcomeSection: Sendable, Encodable {
    /// The outcome's number (from 1).
    public var number: Int
    /// The outcome as the plan words it.
    public var text: String
    /// How many observations were tagged to it in the period.
    public var count: Int
    /// The earliest.
    public var earliest: EvidenceCard?
    /// The latest (nil when there is only one).
    public var latest: EvidenceCard?
    /// The forms of progress its observations show.
    public var indicators: [ProgressIndicator]
}

/// Makes the EHC annual review report.
public struct EHCReporter: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// The report for `pupil` over `period` (default: this academic year), audited before it is returned.
    public func report(
        _ pupilText: String, period periodText: String? = nil, gapWeeks: Int = 4, posters: Bool = true, reason: String? = nil
    ) throws(EvidenceError) -> EHCReport {
        let pupil = try library.pupilDirectory().resolve(pupilText)
        guard !pupil.outcomes.isEmpty else {
            throw EvidenceError(
                .usage, "\(pupil.handle) has no EHC outcomes recorded, so there is nothing to group the evidence by.",
                field: Field("pupil"), value: pupil.handle, remedy: .recordOutcomes(pupil: pupil.handle))
        }
        let period = try periodText.map { (text) throws(EvidenceError) in try ReportPeriod.parse(text) }
            ?? ReportPeriod.academicYear(containing: session.today)
        // Only the earliest and latest of each outcome are shown: only their poster frames are made.
        let views = try session.evidenceViews(of: pupil, in: period).filter { $0.outcome != nil }
        var shownIDs: Set<ObservationID> = []
        for number in 1...pupil.outcomes.count {
            let tagged = views.filter { $0.outcome == number }
            if let first = tagged.first { shownIDs.insert(first.id) }
            if tagged.count > 1, let last = tagged.last { shownIDs.insert(last.id) }
        }
        let evidence = try session.internalReportEvidence(
            of: pupil, views: views.filter { shownIDs.contains($0.id) }, posters: posters, reason: reason)
        let cards = Dictionary(uniqueKeysWithValues: evidence.cards.map { ($0.view.id, $0) })
        let outcomes = pupil.outcomes.enumerated().map { index, text in
            let tagged = views.filter { $0.outcome == index + 1 }
            let inputs = tagged.map { EvidenceCard(view: $0).progressInput }
            return OutcomeSection(
                number: index + 1, text: text, count: tagged.count, earliest: tagged.first.flatMap { cards[$0.id] },
                latest: tagged.count > 1 ? tagged.last.flatMap { cards[$0.id] } : nil,
                indicators: ProgressIndicators.find(in: inputs, gapWeeks: gapWeeks))
        }
        let judgements = try Judge(session).load(pupil, period: period.name).filter { !$0.replaced }
        try session.auditReport(
            "ehc", shows: evidence.shown, detail: "period=\(period.name) observations=\(views.count)", reason: reason)
        return EHCReport(
            pupil: pupil.handle, name: pupil.displayName, covers: period, madeOn: session.today, madeBy: session.actor.auditName,
            outcomes: outcomes, judgements: judgements, warnings: evidence.warnings)
    }
}
