public import Foundation
public import GRDB

/// One photo or video in the vault. Personal or locating data (original name, GPS, raw tags) is sealed by the
/// caller before it reaches this record; the catalogue never sees it in plaintext.
public struct AssetRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The table name.
    public static let databaseTableName = "asset"
    /// Random UUID, lower-case; also names the vault blob.
    public var id: String
    /// `photo` or `video`.
    public var kind: String
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
    /// The `device` row.
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

    /// Column names are snake_case in SQL.
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.snakeCaseWithID
    /// Column names are snake_case in SQL.
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// Makes a record.
    public init(
        id: String, kind: String, contentType: String, byteSize: Int64, capturedAt: Date, utcOffsetSeconds: Int?,
        captureTimeSource: String, make: String?, model: String?, deviceID: Int64? = nil, width: Int?, height: Int?, rotation: Int,
        mirrored: Bool, durationSeconds: Double?, videoCodec: String?, audioCodec: String?, frameRate: Double?,
        gpsSealed: Data?, originalNameSealed: Data, rawMetadataSealed: Data?, contentHash: Data, partialHash: Data,
        wrappedKey: Data, batchID: Int64?, ingestedAt: Date
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

/// One run of `evidence ingest`.
public struct IngestBatchRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    /// The table name.
    public static let databaseTableName = "ingest_batch"
    /// Row id.
    public var id: Int64?
    /// When it started.
    public var startedAt: Date
    /// When it finished (nil if it was interrupted).
    public var finishedAt: Date?
    /// Who ran it.
    public var actor: String
    /// Counts, filled in at the end.
    public var ingested = 0
    /// Duplicates skipped.
    public var duplicates = 0
    /// Non-media skipped.
    public var skipped = 0
    /// Failed files.
    public var failed = 0
    /// Bytes encrypted.
    public var bytes: Int64 = 0

    /// Column names are snake_case in SQL.
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.snakeCaseWithID
    /// Column names are snake_case in SQL.
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// Starts a batch.
    public init(startedAt: Date, actor: String) {
        self.startedAt = startedAt
        self.actor = actor
    }

    /// Takes the row id after insert.
    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// One append-only, hash-chained audit entry.
public struct AuditRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The table name.
    public static let databaseTableName = "audit"
    /// Sequence number, from 1, without gaps.
    public var seq: Int64
    /// When.
    public var at: Date
    /// Who (login or staff handle).
    public var actor: String
    /// What: `ingest`, `cat`, `verify`, …
    public var action: String
    /// Which asset, if one.
    public var assetID: String?
    /// Non-personal detail (counts, sizes; never names).
    public var detail: String
    /// Which pupil, if the entry concerns one (consent changes, exports, reports).
    public var pupilID: Int64?
    /// The previous entry's hash (32 zero bytes for the first).
    public var previousHash: Data
    /// Keyed BLAKE2b over the previous hash and this entry's fields.
    public var hash: Data

    /// Column names are snake_case in SQL.
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.snakeCaseWithID
    /// Column names are snake_case in SQL.
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// Makes an entry.
    public init(
        seq: Int64, at: Date, actor: String, action: String, assetID: String?, detail: String, pupilID: Int64? = nil,
        previousHash: Data, hash: Data
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
        var fields = [String(seq), stamp, actor, action, assetID ?? "", detail]
        // Entries from before pupils existed hash without the field, so old chains still verify.
        if let pupilID { fields.append(String(pupilID)) }
        return fields.joined(separator: "\u{1F}")
    }
}

/// A coding key made from a column name.
struct ColumnKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension DatabaseColumnDecodingStrategy {
    /// `asset_id` → `assetID`: snake case to camel case, with a trailing `_id` as `ID` (Swift's naming), so it is
    /// the exact inverse of GRDB's `convertToSnakeCase` for properties such as `assetID` and `pupilID`.
    /// (GRDB's `convertFromSnakeCase` gives `assetId`, which silently decodes such properties as nil.)
    static let snakeCaseWithID = DatabaseColumnDecodingStrategy.custom { column in
        let words = column.split(separator: "_")
        guard let first = words.first else { return ColumnKey(stringValue: column) }
        let rest = words.dropFirst().map { $0 == "id" ? "ID" : $0.prefix(1).uppercased() + $0.dropFirst() }
        return ColumnKey(stringValue: String(first) + rest.joined())
    }
}
