public import Catalogue
public import Foundation

/// A form of progress the guidance describes (seed 001, 5.3), found in the tags and shown as evidence — never a
/// score. Each lists every observation that shows it.
public struct ProgressIndicator: Sendable, Codable, Equatable {
    /// Which form of progress.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Less prompting over time in an area.
        case reducedPrompting = "reduced-prompting"
        /// The same response in an area on more than one day.
        case consistency
        /// The same response in an area recurring after a gap of weeks.
        case maintenance
        /// The same response in an area across activities, settings, staff or times of day.
        case generalisation
    }

    /// Which form.
    public var kind: Kind
    /// The area.
    public var area: EngagementArea
    /// The response it concerns (nil for reduced prompting, which is about the area).
    public var response: String?
    /// For generalisation: what varied (`activity`, `setting`, `staff`, `time of day`); otherwise nil.
    public var across: String?
    /// In plain words, for a report.
    public var summary: String
    /// Every observation that shows it, oldest first.
    public var observations: [ObservationID]
}

/// What the indicators need of one observation.
public struct ProgressInput: Sendable, Equatable {
    /// The observation.
    public var id: ObservationID
    /// Its local day, `YYYY-MM-DD`.
    public var day: String
    /// When in the day.
    public var timeOfDay: TimeOfDay?
    /// Its areas.
    public var areas: [EngagementArea]
    /// Its responses.
    public var responses: [String]
    /// The prompt level.
    public var prompt: PromptLevel?
    /// Context.
    public var activity: String?
    /// Context.
    public var setting: String?
    /// Staff with the pupil.
    public var withStaff: [String]

    /// Makes an input.
    public init(
        id: ObservationID, day: String, timeOfDay: TimeOfDay?, areas: [EngagementArea], responses: [String],
        prompt: PromptLevel?, activity: String?, setting: String?, withStaff: [String]
    ) {
        self.id = id
        self.day = day
        self.timeOfDay = timeOfDay
        self.areas = areas
        self.responses = responses
        self.prompt = prompt
        self.activity = activity
        self.setting = setting
        self.withStaff = withStaff
    }
}

/// The forms of progress, as pure functions of a pupil's observations (so they can be tested by hand-made
/// histories whose answers are known).
public enum ProgressIndicators {
    /// How much help a prompt level is, least first: progress is often seen as less prompting.
    static func support(_ prompt: PromptLevel) -> Int {
        switch prompt {
        case .independent: 0
        case .gestural: 1
        case .verbal: 2
        case .modelled: 3
        case .physical: 4
        }
    }

    /// Every indicator the observations show, per area in the model's order, then by kind and response.
    ///
    /// - Reduced prompting: in an area, the latest observation with a prompt level had less help than the earliest.
    /// - Consistency: the same response in the same area on two or more distinct days.
    /// - Maintenance: the same response in the same area recurring after a gap of at least `gapWeeks` weeks.
    /// - Generalisation: the same response in the same area with two or more distinct values of one of activity,
    ///   setting, staff with the pupil, or time of day (one indicator per dimension that varies).
    public static func find(in inputs: [ProgressInput], gapWeeks: Int = 4) -> [ProgressIndicator] {
        let ordered = inputs.sorted { ($0.day, $0.id) < ($1.day, $1.id) }
        var found: [ProgressIndicator] = []
        for area in EngagementArea.allCases {
            let inArea = ordered.filter { $0.areas.contains(area) }
            let prompted = inArea.filter { $0.prompt != nil }
            if let first = prompted.first?.prompt, let last = prompted.last?.prompt, support(last) < support(first) {
                found.append(
                    ProgressIndicator(
                        kind: .reducedPrompting, area: area, response: nil, across: nil,
                        summary: "Less prompting in \(area.rawValue): from \(first.rawValue) to \(last.rawValue).",
                        observations: prompted.map(\.id)))
            }
            let responses = Set(inArea.flatMap(\.responses)).sorted()
            for response in responses {
                let showing = inArea.filter { $0.responses.contains(response) }
                let days = Array(Set(showing.map(\.day))).sorted()
                if days.count >= 2 {
                    found.append(
                        ProgressIndicator(
                            kind: .consistency, area: area, response: response, across: nil,
                            summary: "\(response) in \(area.rawValue) on \(days.count) different days.",
                            observations: showing.map(\.id)))
                }
                if let gap = longestGapInDays(days), gap >= gapWeeks * 7 {
                    found.append(
                        ProgressIndicator(
                            kind: .maintenance, area: area, response: response, across: nil,
                            summary: "\(response) in \(area.rawValue) again after \(gap / 7) weeks.",
                            observations: showing.map(\.id)))
                }
                let dimensions: [(String, (ProgressInput) -> [String])] = [
                    ("activity", { $0.activity.map { [$0] } ?? [] }),
                    ("setting", { $0.setting.map { [$0] } ?? [] }),
                    ("staff", { $0.withStaff }),
                    ("time of day", { $0.timeOfDay.map { [$0.words] } ?? [] }),
                ]
                for (name, values) in dimensions {
                    let distinct = Set(showing.flatMap(values))
                    guard distinct.count >= 2 else { continue }
                    found.append(
                        ProgressIndicator(
                            kind: .generalisation, area: area, response: response, across: name,
                            summary: "\(response) in \(area.rawValue) across \(distinct.count) \(plural(name)): \(distinct.sorted().joined(separator: ", ")).",
                            observations: showing.filter { !values($0).isEmpty }.map(\.id)))
                }
            }
        }
        return found
    }

    /// The longest gap between consecutive days, in days (nil for fewer than two days).
    static func longestGapInDays(_ days: [String]) -> Int? {
        let dates = days.compactMap(date)
        guard dates.count >= 2 else { return nil }
        return zip(dates, dates.dropFirst()).map { Int(($1.timeIntervalSince($0) / 86_400).rounded()) }.max()
    }

    private static func date(_ day: String) -> Date? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    private static func plural(_ name: String) -> String {
        switch name {
        case "activity": "activities"
        case "staff": "members of staff"
        case "time of day": "times of day"
        default: name + "s"
        }
    }
}
