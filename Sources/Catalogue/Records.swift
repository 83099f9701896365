public import Foundation

/// One photo or video in the vault. Personal or locating data (original name, GPS, raw tags) is sealed by the
/// caller before it reaches this record; the catalogue never sees it in plaintext.
public struct AssetRecord: Codable, Sendable, Equatable {
    /// Random UUID, lower-case; also names the vault blob.
    public var id: AssetID
    /// Photo or video.
    public var kind: AssetKind
    /// MIME type from the content.
    public var contentType: String
    /// Plaintext size in bytes.
    public var byteSize: Int64
    /// Capture instant (UTC).
    public var capturedAt: Date
    /// Capture offset from UTC in seconds, when the file said.
    public var utcOffsetSeconds: Int?
    /// `exif-offset`, `exif-local`, `quicktime-creationdate`, `container-utc` or `file-mtime`.
    public var captureTimeSource: String
    /// Device make.
    public var make: String?
    /// Device model.
    public var model: String?
    /// The `device` row (filled in by the store).
    public var deviceID: Int64?
    /// Stored width.
    public var width: Int?
    /// Stored height.
    public var height: Int?
    /// Degrees clockwise to display upright.
    public var rotation: Int
    /// Mirrored (Exif orientations 2, 4, 5, 7).
    public var mirrored: Bool
    /// Duration in seconds.
    public var durationSeconds: Double?
    /// Video codec.
    public var videoCodec: String?
    /// Audio codec.
    public var audioCodec: String?
    /// Frame rate.
    public var frameRate: Double?
    /// Sealed `latitude,longitude[,altitude]`.
    public var gpsSealed: Data?
    /// Sealed original file name.
    public var originalNameSealed: Data
    /// Sealed JSON of the raw tag values.
    public var rawMetadataSealed: Data?
    /// Keyed BLAKE2b of the whole content (duplicate detection).
    public var contentHash: Data
    /// Keyed BLAKE2b of size + first and last MiB (cheap duplicate pre-check).
    public var partialHash: Data
    /// The asset's data key, wrapped by the master key.
    public var wrappedKey: Data
    /// The ingest batch that brought it in.
    public var batchID: Int64?
    /// When it was ingested.
    public var ingestedAt: Date

    /// The length in whole milliseconds, when known.
    public var durationMs: Int64? { durationSeconds.map { Int64(($0 * 1000).rounded(.down)) } }

    /// Makes a record.
    public init(
        id: AssetID, kind: AssetKind, contentType: String, byteSize: Int64, capturedAt: Date, utcOffsetSeconds: Int?,
        captureTimeSource: String, make: String?, model: String?, deviceID: Int64? = nil, width: Int?, height: Int?,
        rotation: Int, mirrored: Bool, durationSeconds: Double?, videoCodec: String?, audioCodec: String?,
        frameRate: Double?, gpsSealed: Data?, originalNameSealed: Data, rawMetadataSealed: Data?, contentHash: Data,
        partialHash: Data, wrappedKey: Data, batchID: Int64?, ingestedAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.contentType = contentType
        self.byteSize = byteSize
        self.capturedAt = capturedAt
        self.utcOffsetSeconds = utcOffsetSeconds
        self.captureTimeSource = captureTimeSource
        self.make = make
        self.model = model
        self.deviceID = deviceID
        self.width = width
        self.height = height
        self.rotation = rotation
        self.mirrored = mirrored
        self.durationSeconds = durationSeconds
        self.videoCodec = videoCodec
        self.audioCodec = audioCodec
        self.frameRate = frameRate
        self.gpsSealed = gpsSealed
        self.originalNameSealed = originalNameSealed
        self.rawMetadataSealed = rawMetadataSealed
        self.contentHash = contentHash
        self.partialHash = partialHash
        self.wrappedKey = wrappedKey
        self.batchID = batchID
        self.ingestedAt = ingestedAt
    }
}

/// One run of ingest.
public struct IngestBatchRecord: Codable, Sendable {
    /// Row id (nil until stored).
    public var id: Int64?
    /// When it started.
    public var startedAt: Date
    /// When it finished (nil if it was interrupted).
    public var finishedAt: Date?
    /// Who ran it.
    public var actor: String
    /// Files stored.
    public var ingested = 0
    /// Duplicates skipped.
    public var duplicates = 0
    /// Non-media skipped.
    public var skipped = 0
    /// Failed files.
    public var failed = 0
    /// Bytes encrypted.
    public var bytes: Int64 = 0

    /// Starts a batch.
    public init(startedAt: Date, actor: String) {
        self.startedAt = startedAt
        self.actor = actor
    }
}

/// One append-only, hash-chained audit entry.
public struct AuditRecord: Codable, Sendable, Equatable {
    /// Sequence number, from 1, without gaps.
    public var seq: Int64
    /// When.
    public var at: Date
    /// Who (a staff handle, or the login name while a library is being set up).
    public var actor: String
    /// What: `ingest`, `cat`, `verify`, …
    public var action: String
    /// Which asset, if one.
    public var assetID: AssetID?
    /// Non-personal detail (counts, sizes; never names).
    public var detail: String
    /// Which pupil, if the entry concerns one (consent changes, exports, reports).
    public var pupilID: PupilID?
    /// The previous entry's hash (32 zero bytes for the first).
    public var previousHash: Data
    /// Keyed BLAKE2b over the previous hash and this entry's fields.
    public var hash: Data

    /// Makes an entry.
    public init(
        seq: Int64, at: Date, actor: String, action: String, assetID: AssetID?, detail: String,
        pupilID: PupilID? = nil, previousHash: Data, hash: Data
    ) {
        self.pupilID = pupilID
        self.seq = seq
        self.at = at
        self.actor = actor
        self.action = action
        self.assetID = assetID
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The bytes the hash covers, in a fixed order (for ``previousHash`` chaining).
    public var canonicalFields: String {
        let stamp = String(Int64((at.timeIntervalSince1970 * 1000).rounded()))
        var fields = [String(seq), stamp, actor, action, assetID?.rawValue ?? "", detail]
        // Entries from before pupils existed hash without the field, so old chains still verify.
        if let pupilID { fields.append(String(pupilID.rawValue)) }
        return fields.joined(separator: "\u{1F}")
    }
}

/// What a workflow asks the audit log to record; the store adds the sequence, time and chain hash.
public struct AuditDraft: Sendable {
    /// Who.
    public var actor: String
    /// What.
    public var action: String
    /// Which asset.
    public var assetID: AssetID?
    /// Which pupil.
    public var pupilID: PupilID?
    /// Non-personal detail.
    public var detail: String

    /// Makes a draft.
    public init(actor: String, action: String, assetID: AssetID? = nil, pupilID: PupilID? = nil, detail: String = "") {
        self.actor = actor
        self.action = action
        self.assetID = assetID
        self.pupilID = pupilID
        self.detail = detail
    }
}

/// A pupil row: every identifying value sealed; year group and class plain for grouping.
public struct PupilRecord: Codable, Sendable {
    /// Row id (ignored on insert).
    public var id: PupilID
    /// Keyed hash of the handle (unique).
    public var lookup: Data
    /// Keyed hash of the UPN (unique when present).
    public var upnLookup: Data?
    /// The sealed profile.
    public var profileSealed: Data
    /// Year group.
    public var yearGroup: String?
    /// Class.
    public var className: String?
    /// Created.
    public var createdAt: Date
    /// Last changed.
    public var updatedAt: Date

    /// Makes a record.
    public init(
        id: PupilID, lookup: Data, upnLookup: Data?, profileSealed: Data, yearGroup: String?, className: String?,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.lookup = lookup
        self.upnLookup = upnLookup
        self.profileSealed = profileSealed
        self.yearGroup = yearGroup
        self.className = className
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A staff row: the profile sealed, the handle as a keyed hash.
public struct StaffRecord: Codable, Sendable {
    /// Row id (ignored on insert).
    public var id: StaffID
    /// Keyed hash of the handle (unique).
    public var lookup: Data
    /// The sealed profile.
    public var profileSealed: Data
    /// Created.
    public var createdAt: Date

    /// Makes a record.
    public init(id: StaffID, lookup: Data, profileSealed: Data, createdAt: Date) {
        self.id = id
        self.lookup = lookup
        self.profileSealed = profileSealed
        self.createdAt = createdAt
    }
}

/// One consent decision in the append-only register.
public struct ConsentRecord: Codable, Sendable, Equatable {
    /// Row id: register order (ignored on insert).
    public var id: Int64
    /// The pupil.
    public var pupilID: PupilID
    /// The purpose.
    public var purpose: ConsentPurpose
    /// The decision.
    public var decision: ConsentDecision
    /// First day (`YYYY-MM-DD`) it applies.
    public var effectiveFrom: String
    /// When it was recorded.
    public var recordedAt: Date
    /// Who recorded it.
    public var recordedBy: String
    /// The sealed note.
    public var noteSealed: Data?

    /// Makes a record.
    public init(
        id: Int64 = 0, pupilID: PupilID, purpose: ConsentPurpose, decision: ConsentDecision, effectiveFrom: String,
        recordedAt: Date, recordedBy: String, noteSealed: Data?
    ) {
        self.id = id
        self.pupilID = pupilID
        self.purpose = purpose
        self.decision = decision
        self.effectiveFrom = effectiveFrom
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.noteSealed = noteSealed
    }
}

/// A moment: a stretch of a video, or a whole asset (no range).
public struct MomentRecord: Codable, Sendable, Equatable {
    /// Row id (ignored on insert).
    public var id: MomentID
    /// The asset.
    public var assetID: AssetID
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
        id: MomentID = MomentID(0), assetID: AssetID, startMs: Int64?, endMs: Int64?, occurredAt: Date,
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
    /// Context: activity.
    public var activity: String?
    /// Context: setting.
    public var setting: String?
    /// Context: equipment.
    public var equipment: String?
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

    /// Whether this is the current version (neither edited since nor untagged).
    public var isCurrent: Bool { replacedBy == nil && removedAt == nil }

    /// Makes a record.
    public init(
        id: ObservationID = ObservationID(0), momentID: MomentID, pupilID: PupilID, occurredAt: Date,
        areas: EngagementAreas, intent: Intent?, prompt: PromptLevel?, activity: String?, setting: String?,
        equipment: String?, outcome: Int?, noteSealed: Data?, sourceSealed: Data?, observer: String, createdAt: Date,
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
        self.activity = activity
        self.setting = setting
        self.equipment = equipment
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
    /// Its asset.
    public var assetID: AssetID
    /// The asset's kind.
    public var assetKind: AssetKind
    /// The asset's capture offset from UTC, when known.
    public var utcOffsetSeconds: Int?
    /// The moment's start, ms.
    public var startMs: Int64?
    /// The moment's end, ms.
    public var endMs: Int64?
}

/// Whether staff have checked an asset for everybody visible in it.
public struct AppearanceReviewRecord: Codable, Sendable {
    /// The asset.
    public var assetID: AssetID
    /// The review found nobody beyond the recorded appearances.
    public var noneElse: Bool
    /// When.
    public var reviewedAt: Date
    /// Who.
    public var reviewedBy: String

    /// Makes a record.
    public init(assetID: AssetID, noneElse: Bool, reviewedAt: Date, reviewedBy: String) {
        self.assetID = assetID
        self.noneElse = noneElse
        self.reviewedAt = reviewedAt
        self.reviewedBy = reviewedBy
    }
}

/// A clip stored back into the vault and the range of the video it was cut from.
public struct DerivedAssetRecord: Codable, Sendable {
    /// The clip.
    public var assetID: AssetID
    /// The video it was cut from.
    public var sourceAssetID: AssetID
    /// Start, ms.
    public var startMs: Int64
    /// End, ms.
    public var endMs: Int64
    /// Re-encoded.
    public var exact: Bool
    /// When.
    public var createdAt: Date
    /// Who.
    public var createdBy: String

    /// Makes a record.
    public init(
        assetID: AssetID, sourceAssetID: AssetID, startMs: Int64, endMs: Int64, exact: Bool, createdAt: Date,
        createdBy: String
    ) {
        self.assetID = assetID
        self.sourceAssetID = sourceAssetID
        self.startMs = startMs
        self.endMs = endMs
        self.exact = exact
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}
