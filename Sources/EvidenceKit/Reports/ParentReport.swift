public import Catalogue
public import Foundation

/// The end-of-year report for a pupil's family, in plain words: only moments the consent gate lets leave the school,
/// and no other child's name anywhere.
public struct ParentReport: Sendable, Encodable {
    /// The pupil's handle.
    public var pupil: String
    /// The name the family uses.
    public var forename: String
    /// The school year.
    public var covers: ReportPeriod
    /// The day it was made.
    public var madeOn: String
    /// All five areas, each with what the family is shown.
    public var areas: [FamilyArea]
    /// For staff, never in the document: every moment of the year, included or not, and why.
    public var manifest: [ManifestRow]
}

/// One area of the parent report.
public struct FamilyArea: Sendable, Encodable {
    /// The area.
    public var area: EngagementArea
    /// What it means, in plain words.
    public var about: String
    /// The moments shown, oldest first.
    public var moments: [FamilyMoment]
}

/// One moment as the family sees it.
public struct FamilyMoment: Sendable, Encodable {
    /// The observation it comes from (for staff cross-checking with the manifest).
    public var observation: ObservationID
    /// The day, in words ("14 September 2026").
    public var date: String
    /// What the pupil did, in plain words.
    public var what: String
    /// Where and with whom, in plain words (empty when not recorded).
    public var context: String
    /// The teacher's note, with any other child's name taken out.
    public var note: String?
    /// The poster frame.
    public var poster: Data?

    private enum CodingKeys: String, CodingKey { case observation, date, what, context, note, hasPoster }

    /// The moment's keys, and whether a poster frame is embedded.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(observation, forKey: .observation)
        try c.encode(date, forKey: .date)
        try c.encode(what, forKey: .what)
        try c.encode(context, forKey: .context)
        try c.encode(note, forKey: .note)
        try c.encode(poster != nil, forKey: .hasPoster)
    }
}

/// One line of the staff manifest (`--manifest FILE`): what the parent report included and left out, and why.
public struct ManifestRow: Sendable, Codable, Equatable {
    /// The moment.
    public var moment: MomentID
    /// The observation.
    public var observation: ObservationID
    /// Its day.
    public var date: String
    /// Its asset (nil for an observation from home).
    public var asset: AssetID?
    /// Whether it is in the report.
    public var included: Bool
    /// Why not (empty when included).
    public var reason: String

    /// `included` is `inReport` in JSON (there, `included` is a share manifest's list).
    private enum CodingKeys: String, CodingKey {
        case moment, observation, date, asset, included = "inReport", reason
    }

    /// As a CSV line's fields.
    public var fields: [String] {
        [moment.description, observation.description, date, asset?.rawValue ?? "from home", included ? "yes" : "no", reason]
    }

    /// The CSV header.
    public static let header = ["moment", "observation", "date", "asset", "included", "reason"]
}

/// Makes the parent report.
public struct ParentReporter: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// The report for the school year ending in the summer of `year`, audited before it is returned. Refused
    /// (exit 5) when the family-sharing consent is not in force today; it leaves the school, so there is no
    /// break-glass.
    public func report(_ pupilText: String, year: Int, posters: Bool = true) throws(EvidenceError) -> ParentReport {
        let directory = try library.pupilDirectory()
        let pupil = try directory.resolve(pupilText)
        let period = try ReportPeriod.academicYear(ending: year)
        let gate = try session.consentGate()
        guard gate.grants(.familySharing, to: pupil.id, on: session.today) else {
            throw EvidenceError(
                .refusedByConsent,
                "\(pupil.handle)'s family-sharing consent is not in force today, so no report for the family is made.",
                value: pupil.handle, remedy: .recordConsent(pupil: pupil.handle, purpose: .familySharing, from: session.today))
        }
        let views = try session.evidenceViews(of: pupil, in: period)
        let assets = Array(Set(views.compactMap(\.asset)))
        let (shown, reviewed) = try session.appearanceFacts(assets)
        let staffNames = Dictionary(try library.staffMembers().map { ($0.handle, $0.name) }, uniquingKeysWith: { a, _ in a })
        let redactor = NameRedactor(otherPupils: directory.pupils.filter { $0.id != pupil.id })
        let forename = pupil.preferredName ?? pupil.nameParts.forename
        var manifest: [ManifestRow] = []
        var included: [(view: ObservationView, moment: FamilyMoment)] = []
        var showsPupils: Set<PupilID> = [pupil.id]
        for view in views {
            let day = String(view.occurredAt.prefix(10))
            // From home: the family's own report, with no media and nobody else in it.
            let others = view.asset.flatMap { shown[$0] } ?? []
            let reason = gate.reasonNotToShare(
                subject: pupil.id, showing: others, reviewed: view.asset.map(reviewed.contains) ?? true, capturedOn: day)
            manifest.append(
                ManifestRow(
                    moment: view.moment, observation: view.id, date: day, asset: view.asset, included: reason == nil,
                    reason: reason ?? ""))
            guard reason == nil else { continue }
            showsPupils.formUnion(others)
            let poster = try view.asset.flatMap { (asset) throws(EvidenceError) in
                posters ? try ThumbnailMaker(session).reportPoster(asset: asset, atMs: view.startMs ?? 0) : nil
            }
            included.append(
                (view, FamilyWords.moment(view, forename: forename, staffNames: staffNames, redactor: redactor, poster: poster)))
        }
        let areas = EngagementArea.allCases.map { area in
            FamilyArea(
                area: area, about: AreaWords.family(area),
                moments: included.filter { $0.view.areas.contains(area.rawValue) }.map(\.moment))
        }
        try session.auditReport(
            "parent", shows: showsPupils,
            detail: "year=\(period.name) included=\(included.count) left-out=\(manifest.count - included.count)", reason: nil)
        return ParentReport(
            pupil: pupil.handle, forename: forename, covers: period, madeOn: session.today, areas: areas, manifest: manifest)
    }
}
