public import Catalogue
public import Foundation

/// The working document for a progress meeting: per area, the teacher's judgement, the observations, the forms of
/// progress they show, and where evidence is thick or missing.
public struct PupilReport: Sendable, Encodable {
    /// The pupil's handle.
    public var pupil: String
    /// The pupil's name as staff know it.
    public var name: String
    /// The period covered.
    public var covers: ReportPeriod
    /// The day it was made.
    public var madeOn: String
    /// Who made it.
    public var madeBy: String
    /// All five areas, in the model's order (each even with no evidence).
    public var areas: [AreaSection]
    /// The settings the evidence was seen in (the columns of each area's `byContext`).
    public var contexts: [String]
    /// What the person making it should know (co-present pupils, unreviewed media).
    public var warnings: [String]
}

/// One area of a pupil report.
public struct AreaSection: Sendable, Encodable {
    /// The area.
    public var area: EngagementArea
    /// What the area shows, in the guidance's words.
    public var about: String
    /// The current judgement for the period, if one was recorded.
    public var judgement: JudgementView?
    /// The observations in the area, oldest first (one with two areas is under both).
    public var cards: [EvidenceCard]
    /// The forms of progress they show.
    public var indicators: [ProgressIndicator]
    /// Observations per setting, in the order of the report's `contexts`.
    public var byContext: [Int]
}

/// Makes the pupil report.
public struct PupilReporter: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// The report of `pupil` over `period` (default: this academic year); audited before it is returned, naming every
    /// pupil it shows. `reason` is the break-glass for evidence consent restricts (internal only).
    public func report(
        _ pupilText: String, period periodText: String? = nil, gapWeeks: Int = 4, posters: Bool = true, reason: String? = nil
    ) throws(EvidenceError) -> PupilReport {
        let pupil = try library.pupilDirectory().resolve(pupilText)
        let period = try periodText.map { (text) throws(EvidenceError) in try ReportPeriod.parse(text) }
            ?? ReportPeriod.academicYear(containing: session.today)
        let views = try session.evidenceViews(of: pupil, in: period)
        let evidence = try session.internalReportEvidence(of: pupil, views: views, posters: posters, reason: reason)
        let judgements = try Judge(session).load(pupil, period: period.name).filter { !$0.replaced }
        let indicators = ProgressIndicators.find(in: evidence.cards.map(\.progressInput), gapWeeks: gapWeeks)
        let contexts = Array(Set(evidence.cards.map { $0.view.setting ?? Self.noSetting })).sorted()
        let areas = EngagementArea.allCases.map { area in
            let cards = evidence.cards.filter { $0.view.areas.contains(area.rawValue) }
            return AreaSection(
                area: area, about: AreaWords.staff(area), judgement: judgements.last { $0.area == area }, cards: cards,
                indicators: indicators.filter { $0.area == area },
                byContext: contexts.map { context in cards.filter { ($0.view.setting ?? Self.noSetting) == context }.count })
        }
        try session.auditReport(
            "pupil", shows: evidence.shown, detail: "period=\(period.name) observations=\(evidence.cards.count)", reason: reason)
        return PupilReport(
            pupil: pupil.handle, name: pupil.displayName, covers: period, madeOn: session.today, madeBy: session.actor.auditName,
            areas: areas, contexts: contexts, warnings: evidence.warnings)
    }

    /// The column for evidence with no setting recorded.
    static let noSetting = "(no setting recorded)"
}
