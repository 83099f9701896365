/// Whether an asset is a photo or a video.
public enum AssetKind: String, CaseIterable, Sendable, Codable {
    case photo, video
}

/// Whether a response looked deliberate.
public enum Intent: String, CaseIterable, Sendable, Codable {
    case intentional, reflexive, unsure
}

/// How much help the pupil had; progress is often seen as less prompting.
public enum PromptLevel: String, CaseIterable, Sendable, Codable {
    case independent, gestural, verbal, modelled, physical
}

/// What a family (or the pupil) has agreed to, one purpose at a time.
public enum ConsentPurpose: String, CaseIterable, Sendable, Codable {
    /// Media of the pupil may be stored and tagged at all.
    case capture
    /// The pupil's own evidence may be shared with their family.
    case familySharing = "family-sharing"
    /// The pupil may be visible in another pupil's shared evidence.
    case appearInOthers = "appear-in-others"
    /// Evidence may be shown to other schools for moderation.
    case moderation
    /// Evidence may be used to train staff.
    case training
}

/// A decision; only `granted` permits.
public enum ConsentDecision: String, CaseIterable, Sendable, Codable {
    case granted, refused, withdrawn
}

/// The kinds of school vocabulary.
public enum VocabularyKind: String, CaseIterable, Sendable, Codable {
    /// Observed responses.
    case response
    /// The pupil's state at the time (alert, drowsy, after a seizure…).
    case state
}

/// The cue or stimulus a response followed (seed 001, 3.4 and 5.2: the senses through which a pupil is engaged).
public enum Cue: String, CaseIterable, Sendable, Codable {
    case visual, auditory, tactile, olfactory, gustatory, proprioceptive, none
}

/// Whether the cue or activity was new to the pupil or familiar.
public enum CueNovelty: String, CaseIterable, Sendable, Codable {
    case new, familiar
}

/// The support the pupil had (a person's is graded by ``PromptLevel``).
public enum Support: String, CaseIterable, Sendable, Codable {
    case person, technology, equipment, none
}

/// How a response was reinforced.
public enum Reinforcement: String, CaseIterable, Sendable, Codable {
    case natural, artificial, none
}

/// Which coding of a moment an observation is: the evidence, or a second member of staff's independent coding of
/// the same moment, kept for moderation and never counted as evidence.
public enum Coding: String, CaseIterable, Sendable, Codable {
    case first, second
}

/// The five areas of the engagement model (DfE 2020), non-hierarchical: none is "higher" than another.
public enum EngagementArea: String, CaseIterable, Sendable, Codable {
    case exploration, realisation, anticipation, persistence, initiation

    /// The area's bit in ``EngagementAreas``.
    public var areas: EngagementAreas {
        switch self {
        case .exploration: .exploration
        case .realisation: .realisation
        case .anticipation: .anticipation
        case .persistence: .persistence
        case .initiation: .initiation
        }
    }
}

/// A set of engagement areas, stored as a 5-bit set so "any of" and "all of" are one expression in a query.
public struct EngagementAreas: OptionSet, Sendable, Hashable, Codable {
    /// The bits: exploration 1, realisation 2, anticipation 4, persistence 8, initiation 16.
    public let rawValue: Int
    /// Wraps bits.
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// Exploration.
    public static let exploration = EngagementAreas(rawValue: 1)
    /// Realisation.
    public static let realisation = EngagementAreas(rawValue: 2)
    /// Anticipation.
    public static let anticipation = EngagementAreas(rawValue: 4)
    /// Persistence.
    public static let persistence = EngagementAreas(rawValue: 8)
    /// Initiation.
    public static let initiation = EngagementAreas(rawValue: 16)
    /// All five.
    public static let all: EngagementAreas = [.exploration, .realisation, .anticipation, .persistence, .initiation]

    /// The areas in the model's order.
    public var members: [EngagementArea] { EngagementArea.allCases.filter { contains($0.areas) } }
    /// Whether only the five known bits are set (a stored value with others is corrupt).
    public var isValid: Bool { EngagementAreas.all.isSuperset(of: self) }
}

/// Where an observation comes from: staff watching the media, or a family telling staff what the pupil did at home
/// (entered by staff; no media).
public enum Origin: String, CaseIterable, Sendable, Codable {
    case media, family
}
