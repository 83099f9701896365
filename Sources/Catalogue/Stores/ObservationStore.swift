public import Foundation

/// Moments and the observations made in them, with their history.
public protocol ObservationStore {
    /// The earliest moment with exactly this range on the asset, if any.
    func momentID(assetID: AssetID, startMs: Int64?, endMs: Int64?) throws -> MomentID?
    /// Stores a moment; an import key already used fails with ``CatalogueError/Code/duplicate``.
    func insertMoment(_ record: MomentRecord) throws -> MomentID
    /// One moment.
    func moment(id: MomentID) throws -> MomentRecord?
    /// An asset's moments, whole-asset moments first, then by range.
    func moments(assetID: AssetID) throws -> [MomentRecord]
    /// Whether a moment was already imported under this key.
    func momentExists(importKey: Data) throws -> Bool

    /// Stores an observation with its responses and staff; returns its id.
    func insertObservation(_ record: ObservationRecord) throws -> ObservationID
    /// Points an edited observation at its newer version.
    func markReplaced(_ id: ObservationID, by newer: ObservationID) throws
    /// Takes an observation out of the current view (the row stays).
    func markRemoved(_ id: ObservationID, at: Date, by: String) throws
    /// The current observations of an asset, in id order.
    func currentObservationIDs(assetID: AssetID) throws -> [ObservationID]
    /// A moment's current observations, both codings, in id order (for second coding and moderation).
    func currentCodings(momentID: MomentID) throws -> [ObservationDetail]
    /// Observations with their moment and asset facts, for the ids given (any order; missing ids skipped).
    func observationDetails(ids: [ObservationID]) throws -> [ObservationDetail]
    /// One facet of each of those observations (any order; missing ids skipped), reading only its columns.
    func observationFacet(_ facet: ObservationFacet, ids: [ObservationID]) throws -> [ObservationFacetValue]
    /// The sealed notes of those observations that have one.
    func sealedNotes(ids: [ObservationID]) throws -> [ObservationID: Data]
    /// The sealed annotation sources of those observations that have one.
    func sealedSources(ids: [ObservationID]) throws -> [ObservationID: Data]
    /// Which of these observations exist, with their moment (any version; not authenticated here: only existence).
    func existingObservationIDs(_ ids: [ObservationID]) throws -> Set<ObservationID>
    /// The current observations matching `filter`, in its order.
    func observationIDs(matching filter: ObservationFilter) throws -> [ObservationID]
}

/// A typed query over current observations; every filter given must hold.
public struct ObservationFilter: Sendable {
    /// Any of these pupils.
    public var pupils: [PupilID] = []
    /// Areas: any of them, or all with ``allAreas``.
    public var areas: EngagementAreas = []
    /// Require every area in ``areas``.
    public var allAreas = false
    /// Any of these responses.
    public var responses: [String] = []
    /// This intent.
    public var intent: Intent?
    /// This prompt level.
    public var prompt: PromptLevel?
    /// This activity (its keyed lookup tag).
    public var activity: Data?
    /// This setting (its keyed lookup tag).
    public var setting: Data?
    /// Any of these staff with the pupil.
    public var withStaff: [StaffID] = []
    /// None of these staff with the pupil.
    public var withoutStaff: [StaffID] = []
    /// Recorded by this observer.
    public var observer: String?
    /// For this EHC outcome.
    public var outcome: Int?
    /// Occurred at or after.
    public var occurredFrom: Date?
    /// Occurred before.
    public var occurredBefore: Date?
    /// On an asset of this kind.
    public var assetKind: AssetKind?
    /// Which coding: the evidence (first, the default), second codings only, or both (nil, for moderation).
    public var coding: Coding? = .first
    /// Result order.
    public var order: ObservationOrder = .time
    /// At most this many.
    public var limit: Int?

    /// Every current observation.
    public init() {}
}

/// Orders for ``ObservationFilter``.
public enum ObservationOrder: String, Sendable, CaseIterable, Codable {
    /// Oldest first.
    case time
    /// Newest first.
    case newest
    /// By pupil row, then time.
    case pupil
    /// By asset, then range.
    case asset
}
