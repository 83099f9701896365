public import Foundation

/// A moment: a stretch of a video, or a whole asset (no range).
public struct MomentRecord: Codable, Sendable, Equatable {
    /// Row id (ignored on insert).
    public var id: MomentID
    /// The asset; nil for an observation from home (reported by the family, no media).
    public var assetID: AssetID?
    /// Start, ms (nil: the whole asset).
    public var startMs: Int64?
    /// End, ms.
    public var endMs: Int64?
    /// Capture time plus the start.
    public var occurredAt: Date
    /// Keyed identity of the annotation it was imported from (unique), if imported.
    public var importKey: Data?
    /// When it was made.
    public var createdAt: Date
    /// Who made it.
    public var createdBy: String

    /// Makes a record.
    public init(
        id: MomentID = MomentID(0), assetID: AssetID?, startMs: Int64?, endMs: Int64?, occurredAt: Date,
        importKey: Data? = nil, createdAt: Date, createdBy: String
    ) {
        self.id = id
        self.assetID = assetID
        self.startMs = startMs
        self.endMs = endMs
        self.occurredAt = occurredAt
        self.importKey = importKey
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}

/// One version of one pupil's observation in a moment, with its responses and the staff present.
public struct ObservationRecord: Sendable, Equatable {
    /// Row id (ignored on insert).
    public var id: ObservationID
    /// The moment.
    public var momentID: MomentID
    /// The pupil.
    public var pupilID: PupilID
    /// When it happened.
    public var occurredAt: Date
    /// Engagement areas.
    public var areas: EngagementAreas
    /// Intent.
    public var intent: Intent?
    /// Prompt level.
    public var prompt: PromptLevel?
    /// The context (activity, setting, equipment) sealed together: free text such as "hydrotherapy after seizure"
    /// is never stored in plaintext.
    public var contextSealed: Data?
    /// Keyed lookup tag of the activity (so find can filter on it without storing it).
    public var activityTag: Data?
    /// Keyed lookup tag of the setting.
    public var settingTag: Data?
    /// EHC outcome number.
    public var outcome: Int?
    /// The sealed note.
    public var noteSealed: Data?
    /// The sealed original annotation (tier and value), when imported.
    public var sourceSealed: Data?
    /// Who recorded it (a staff handle).
    public var observer: String
    /// When it was recorded.
    public var createdAt: Date
    /// The newer version, once edited.
    public var replacedBy: ObservationID?
    /// When it was untagged.
    public var removedAt: Date?
    /// Who untagged it.
    public var removedBy: String?
    /// Observed responses (vocabulary terms).
    public var responses: [String]
    /// Staff with the pupil.
    public var staffIDs: [StaffID]
    /// The cues or stimuli, in ``Cue`` order.
    public var cues: [Cue] = []
    /// Whether the cue was new or familiar.
    public var cueNovelty: CueNovelty?
    /// The support the pupil had, in ``Support`` order.
    public var supports: [Support] = []
    /// How the response was reinforced.
    public var reinforcement: Reinforcement?
    /// The evidence (first coding) or a second member of staff's independent coding.
    public var coding: Coding = .first
    /// Seen on the media, or reported from home.
    public var origin: Origin = .media

    /// Whether this is the current version (neither edited since nor untagged).
    public var isCurrent: Bool { replacedBy == nil && removedAt == nil }

    /// Makes a record.
    public init(
        id: ObservationID = ObservationID(0), momentID: MomentID, pupilID: PupilID, occurredAt: Date,
        areas: EngagementAreas, intent: Intent?, prompt: PromptLevel?, contextSealed: Data?, activityTag: Data?,
        settingTag: Data?, outcome: Int?, noteSealed: Data?, sourceSealed: Data?, observer: String, createdAt: Date,
        replacedBy: ObservationID? = nil, removedAt: Date? = nil, removedBy: String? = nil, responses: [String],
        staffIDs: [StaffID]
    ) {
        self.id = id
        self.momentID = momentID
        self.pupilID = pupilID
        self.occurredAt = occurredAt
        self.areas = areas
        self.intent = intent
        self.prompt = prompt
        self.contextSealed = contextSealed
        self.activityTag = activityTag
        self.settingTag = settingTag
        self.outcome = outcome
        self.noteSealed = noteSealed
        self.sourceSealed = sourceSealed
        self.observer = observer
        self.createdAt = createdAt
        self.replacedBy = replacedBy
        self.removedAt = removedAt
        self.removedBy = removedBy
        self.responses = responses
        self.staffIDs = staffIDs
    }
}

/// An observation with the moment and asset facts a view needs.
public struct ObservationDetail: Sendable {
    /// The observation.
    public var observation: ObservationRecord
    /// Its asset (nil for an observation from home).
    public var assetID: AssetID?
    /// The asset's kind (nil for an observation from home).
    public var assetKind: AssetKind?
    /// The asset's capture offset from UTC, when known.
    public var utcOffsetSeconds: Int?
    /// The moment's start, ms.
    public var startMs: Int64?
    /// The moment's end, ms.
    public var endMs: Int64?
}

/// One thing about observations that can be counted (`find --group-by`); a query for it reads only its columns.
public enum ObservationFacet: Sendable {
    /// The areas bit set.
    case areas
    /// Setting and activity.
    case context
    /// When it happened.
    case occurredAt
    /// Who recorded it.
    case observer
    /// Which pupil.
    case pupil
    /// The responses.
    case responses
    /// The prompt level.
    case prompt
}

/// One observation's value of an ``ObservationFacet``.
public enum ObservationFacetValue: Sendable {
    /// ``ObservationFacet/areas``.
    case areas(EngagementAreas)
    /// ``ObservationFacet/context``.
    case context(sealed: Data?)
    /// ``ObservationFacet/occurredAt``.
    case occurredAt(Date)
    /// ``ObservationFacet/observer``.
    case observer(String)
    /// ``ObservationFacet/pupil``.
    case pupil(PupilID)
    /// ``ObservationFacet/responses``.
    case responses([String])
    /// ``ObservationFacet/prompt``.
    case prompt(PromptLevel?)
}
