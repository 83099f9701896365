public import Catalogue
public import Foundation

/// Moments that two or more staff coded independently, their interpretations side by side (disagreements first),
/// and how far the coders agree per area. It never ranks pupils or staff.
public struct ModerationReport: Sendable, Encodable {
    /// The period covered.
    public var covers: ReportPeriod
    /// The day it was made.
    public var madeOn: String
    /// Who made it.
    public var madeBy: String
    /// The class it is limited to, if any.
    public var className: String?
    /// The units: a moment and a pupil coded by two or more staff; disagreements first.
    public var units: [ModerationUnit]
    /// Agreement per area, in the model's order.
    public var agreement: [AreaAgreement]
    /// What the person making it should know (units left out by consent).
    public var warnings: [String]
}

/// One moment and pupil, as each coder saw it.
public struct ModerationUnit: Sendable, Encodable {
    /// The moment.
    public var moment: MomentID
    /// Its asset.
    public var asset: AssetID?
    /// Its range.
    public var range: String
    /// The pupil's handle.
    public var pupil: String
    /// The day.
    public var date: String
    /// Each coder's coding, the first coding first.
    public var codings: [UnitCoding]
    /// Whether the coders' areas differ.
    public var disagree: Bool
}

/// One coder's coding of a unit.
public struct UnitCoding: Sendable, Encodable {
    /// The observation.
    public var observation: ObservationID
    /// Who coded it.
    public var observer: String
    /// The evidence (`first`) or an independent second coding.
    public var coding: Coding
    /// The areas.
    public var areas: [String]
    /// The responses.
    public var responses: [String]
    /// The prompt level.
    public var prompt: String?
}

/// How far coders agree on one area: Krippendorff's alpha (nominal; each coder's value is whether they tagged the
/// area), its bootstrap 95 % interval, and the share of units on which every coder agreed.
public struct AreaAgreement: Sendable, Encodable {
    /// The area.
    public var area: EngagementArea
    /// Alpha; nil when undefined (no units, or no variation at all).
    public var alpha: Double?
    /// The interval's lower end.
    public var low: Double?
    /// The interval's upper end.
    public var high: Double?
    /// Units (moment and pupil) coded by two or more staff.
    public var unitCount: Int
    /// Distinct coders.
    public var coderCount: Int
    /// The share of units where every coder agreed (0–1).
    public var percentAgreement: Double?
}

/// Makes the moderation report.
public struct ModerationReporter: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// The report over `period` (default: this academic year), optionally for one class and a sample of `sample`
    /// units (chosen reproducibly). Units of a pupil whose consent restricts their evidence are left out, with a
    /// warning. Audited before it is returned, naming every pupil in it.
    public func report(period periodText: String? = nil, className: String? = nil, sample: Int? = nil) throws(EvidenceError)
        -> ModerationReport
    {
        let (period, query) = try session.schoolQuery(period: periodText, className: className)
        let directory = try library.pupilDirectory()
        let finder = Finder(session)
        let ids = try finder.matchingObservationIDs(query)
        let details: [ObservationDetail]
        do { details = try catalogue.read { store in try store.observationDetails(ids: ids) } } catch {
            throw EvidenceError.from(error)
        }
        let codingOf = Dictionary(uniqueKeysWithValues: details.map { ($0.observation.id, $0.observation.coding) })
        let views = try session.views(of: details, notes: false)
        let gate = try session.consentGate()
        var grouped: [String: [ObservationView]] = [:]
        for view in views { grouped["\(view.moment.rawValue) \(view.pupil)", default: []].append(view) }
        var units: [ModerationUnit] = []
        var leftOut = 0
        for (_, codings) in grouped where Set(codings.map(\.observer)).count >= 2 {
            let ordered = codings.sorted { (codingOf[$0.id] == .first ? 0 : 1, $0.id) < (codingOf[$1.id] == .first ? 0 : 1, $1.id) }
            let first = ordered[0]
            let day = String(first.occurredAt.prefix(10))
            if let pupil = directory.pupil(handle: first.pupil), gate.restriction(of: pupil.id, capturedOn: day) != nil {
                leftOut += 1
                continue
            }
            units.append(
                ModerationUnit(
                    moment: first.moment, asset: first.asset, range: first.rangeText, pupil: first.pupil, date: day,
                    codings: ordered.map {
                        UnitCoding(
                            observation: $0.id, observer: $0.observer, coding: codingOf[$0.id] ?? .first, areas: $0.areas,
                            responses: $0.responses, prompt: $0.prompt)
                    },
                    disagree: Set(ordered.map { Set($0.areas) }).count > 1))
        }
        units.sort { ($0.disagree ? 0 : 1, $0.date, $0.moment, $0.pupil) < ($1.disagree ? 0 : 1, $1.date, $1.moment, $1.pupil) }
        if let sample, sample < units.count {
            var random = SplitMix64(seed: 0x0DE7)
            let chosen = Set(Array(units.indices).shuffled(using: &random).prefix(max(sample, 0)))
            units = units.indices.filter(chosen.contains).map { units[$0] }
        }
        let agreement = EngagementArea.allCases.map { area in Self.agreement(area, units) }
        var warnings: [String] = []
        if leftOut > 0 { warnings.append("\(leftOut) double-coded moment(s) left out: consent restricts the pupil's evidence") }
        let shown = Set(units.compactMap { directory.pupil(handle: $0.pupil)?.id })
        try session.auditReport(
            "moderation", shows: shown, detail: "period=\(period.name) units=\(units.count)", reason: nil)
        return ModerationReport(
            covers: period, madeOn: session.today, madeBy: session.actor.auditName, className: className, units: units,
            agreement: agreement, warnings: warnings)
    }

    /// Agreement on one area over the units: a coder's value is 1 when they tagged the area, 0 when not.
    static func agreement(_ area: EngagementArea, _ units: [ModerationUnit]) -> AreaAgreement {
        let coders = Array(Set(units.flatMap { $0.codings.map(\.observer) })).sorted()
        let index = Dictionary(uniqueKeysWithValues: coders.enumerated().map { ($1, $0) })
        var data = Array(repeating: [Int?](repeating: nil, count: units.count), count: coders.count)
        var agreed = 0
        for (u, unit) in units.enumerated() {
            var values: Set<Int> = []
            for coding in unit.codings {
                let value = coding.areas.contains(area.rawValue) ? 1 : 0
                if let c = index[coding.observer] { data[c][u] = value }
                values.insert(value)
            }
            if values.count == 1 { agreed += 1 }
        }
        let interval = units.isEmpty ? nil : Krippendorff.bootstrapInterval(data)
        // Rounded for people (three decimals); the test compares the unrounded alpha with the krippendorff package.
        func rounded(_ value: Double?) -> Double? { value.map { ($0 * 1000).rounded() / 1000 } }
        return AreaAgreement(
            area: area, alpha: rounded(units.isEmpty ? nil : Krippendorff.alphaNominal(data)), low: rounded(interval?.low),
            high: rounded(interval?.high), unitCount: units.count, coderCount: coders.count,
            percentAgreement: rounded(units.isEmpty ? nil : Double(agreed) / Double(units.count)))
    }
}
