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
