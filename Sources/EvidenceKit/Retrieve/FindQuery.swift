public import Catalogue
import Foundation

/// A search over current observations; every filter given must hold (within a filter, any value matches unless
/// ``allAreas`` is set).
public struct FindQuery: Sendable {
    /// Pupils (handles or unambiguous names); any of them.
    public var pupils: [String] = []
    /// Engagement areas; any of them, or all of them with ``allAreas``.
    public var areas: [String] = []
    /// Require every area in ``areas``.
    public var allAreas = false
    /// Observed responses; any of them.
    public var responses: [String] = []
    /// `intentional`, `reflexive`, `unsure`.
    public var intent: String?
    /// Prompt level.
    public var prompt: String?
    /// Activity (exact, case-insensitive).
    public var activity: String?
    /// Setting (exact, case-insensitive).
    public var setting: String?
    /// Staff with the pupil (handles); any of them.
    public var withStaff: [String] = []
    /// Staff who are *not* with the pupil (e.g. "someone other than his key adult").
    public var withoutStaff: [String] = []
    /// Who recorded the observation.
    public var observer: String?
    /// EHC outcome number.
    public var outcome: Int?
    /// First day (a date or a term such as `autumn-2026`).
    public var since: String?
    /// Last day (a date or a term).
    public var until: String?
    /// `photo` or `video`.
    public var assetKind: String?
    /// Words that must all appear in the note (searched in memory; notes stay sealed at rest).
    public var text: String?
    /// Sort order.
    public var sort: ObservationOrder = .time
    /// At most this many results.
    public var limit: Int?
    /// Which codings: the evidence (first codings) unless a workflow asks for second codings too (moderation).
    var coding: Coding? = .first

    /// No filters: every current observation.
    public init() {}
}

/// Orders for ``FindQuery``.
public typealias FindSort = ObservationOrder

/// What `--group-by` counts by.
public enum FindGrouping: String, Sendable, CaseIterable, Codable {
    case area, context, month, observer, pupil, response, prompt, staff, setting, activity
    case timeOfDay = "time-of-day"
    case outcome, cue, support, state
}

/// One count of a `--group-by`.
public struct FindGroup: Sendable, Codable, Equatable {
    /// The group (an area, `setting / activity`, `2026-09`, an observer…).
    public var key: String
    /// With a second `--group-by`: the group within ``key``; nil otherwise.
    public var subkey: String?
    /// Observations in it.
    public var count: Int

    /// A group.
    public init(key: String, subkey: String? = nil, count: Int) {
        self.key = key
        self.subkey = subkey
        self.count = count
    }
}
