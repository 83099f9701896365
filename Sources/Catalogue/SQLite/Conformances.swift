public import GRDB

// How the typed model is stored in SQLite. Ids are integers or text; closed sets are their raw text and an unknown
// stored value fails to decode (an integrity error), never a default.

// Ids and closed sets are RawRepresentable, so GRDB stores them as their raw value and returns nil (a decoding
// error) for a raw value that is not one of theirs.
// They also read straight from a statement's column (GRDB gives RawRepresentable types that for free), as Int64 and
// String do, so fetching a hundred thousand ids costs what fetching the integers did (no DatabaseValue per row).
extension AssetID: DatabaseValueConvertible, StatementColumnConvertible {}
extension MomentID: DatabaseValueConvertible, StatementColumnConvertible {}
extension ObservationID: DatabaseValueConvertible, StatementColumnConvertible {}
extension PupilID: DatabaseValueConvertible, StatementColumnConvertible {}
extension StaffID: DatabaseValueConvertible, StatementColumnConvertible {}
extension AssetKind: DatabaseValueConvertible {}
extension Intent: DatabaseValueConvertible {}
extension PromptLevel: DatabaseValueConvertible {}
extension CueNovelty: DatabaseValueConvertible {}
extension Reinforcement: DatabaseValueConvertible {}
extension ConsentPurpose: DatabaseValueConvertible {}
extension ConsentDecision: DatabaseValueConvertible {}

extension EngagementAreas: DatabaseValueConvertible {
    /// Stored as the bit set.
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    /// Read from the bit set; bits beyond the five areas are corrupt.
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> EngagementAreas? {
        guard let bits = Int.fromDatabaseValue(dbValue) else { return nil }
        let areas = EngagementAreas(rawValue: bits)
        return areas.isValid ? areas : nil
    }
}

extension AssetRecord: FetchableRecord, PersistableRecord {
    /// The table name.
    public static let databaseTableName = "asset"
    /// Column names are snake_case in SQL.
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.snakeCaseWithID
    /// Column names are snake_case in SQL.
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// Read column by column (the Decodable path, with its key conversion, was a fifth of an import into a library
    /// of 20,000 videos); a missing or unreadable value is a corrupt row, never a default.
    public init(row: Row) throws {
        let column = ColumnReader(table: "asset", row: row)
        self.init(
            id: try column.required("id"), kind: try column.required("kind"), contentType: try column.required("content_type"),
            byteSize: try column.required("byte_size"), capturedAt: try column.required("captured_at"),
            utcOffsetSeconds: try column.optional("utc_offset_seconds"), captureTimeSource: try column.required("capture_time_source"),
            make: try column.optional("make"), model: try column.optional("model"), deviceID: try column.optional("device_id"),
            width: try column.optional("width"), height: try column.optional("height"), rotation: try column.required("rotation"),
            mirrored: try column.required("mirrored"), durationSeconds: try column.optional("duration_seconds"),
            videoCodec: try column.optional("video_codec"), audioCodec: try column.optional("audio_codec"),
            frameRate: try column.optional("frame_rate"), gpsSealed: try column.optional("gps_sealed"),
            originalNameSealed: try column.required("original_name_sealed"), rawMetadataSealed: try column.optional("raw_metadata_sealed"),
            contentHash: try column.required("content_hash"), partialHash: try column.required("partial_hash"),
            wrappedKey: try column.required("wrapped_key"), batchID: try column.optional("batch_id"), ingestedAt: try column.required("ingested_at"))
    }
}

extension IngestBatchRecord: FetchableRecord, MutablePersistableRecord {
    /// The table name.
    public static let databaseTableName = "ingest_batch"
    /// Column names are snake_case in SQL.
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.snakeCaseWithID
    /// Column names are snake_case in SQL.
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    /// Takes the row id after insert.
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension AuditRecord: FetchableRecord, PersistableRecord {
    /// The table name.
    public static let databaseTableName = "audit"
    /// Column names are snake_case in SQL.
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.snakeCaseWithID
    /// Column names are snake_case in SQL.
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension PupilRecord: FetchableRecord {
    /// Read column by column, like ``AssetRecord/init(row:)``: every command reads all pupils.
    public init(row: Row) throws {
        let column = ColumnReader(table: "pupil", row: row)
        self.init(
            id: try column.required("id"), lookup: try column.required("lookup"), upnLookup: try column.optional("upn_lookup"),
            profileSealed: try column.required("profile_sealed"), yearGroup: try column.optional("year_group"),
            className: try column.optional("class_name"), createdAt: try column.required("created_at"),
            updatedAt: try column.required("updated_at"))
    }
}

extension StaffRecord: FetchableRecord {
    /// Read column by column, like the pupils.
    public init(row: Row) throws {
        let column = ColumnReader(table: "staff", row: row)
        self.init(
            id: try column.required("id"), lookup: try column.required("lookup"), profileSealed: try column.required("profile_sealed"),
            createdAt: try column.required("created_at"))
    }
}

extension ConsentRecord: FetchableRecord {
    /// Read column by column: every consent check reads the whole register.
    public init(row: Row) throws {
        let column = ColumnReader(table: "consent", row: row)
        self.init(
            id: try column.required("id"), pupilID: try column.required("pupil_id"), purpose: try column.required("purpose"),
            decision: try column.required("decision"), effectiveFrom: try column.required("effective_from"),
            recordedAt: try column.required("recorded_at"), recordedBy: try column.required("recorded_by"),
            noteSealed: try column.optional("note_sealed"))
    }
}

/// Reads a record's columns by name; a missing or unreadable value is a corrupt row naming its table and id, never
/// a default (the Decodable path with its key conversion costs several times more per row).
struct ColumnReader {
    let table: String
    let row: Row

    func required<T: DatabaseValueConvertible>(_ column: String) throws -> T {
        guard let value = T.fromDatabaseValue(row[column]) else {
            let stored: DatabaseValue = row["id"]
            let id = String.fromDatabaseValue(stored) ?? Int64.fromDatabaseValue(stored).map(String.init) ?? "?"
            throw CatalogueError(code: .corruptRow, message: "The catalogue's \(table) row \(id) has no readable \(column).")
        }
        return value
    }

    func optional<T: DatabaseValueConvertible>(_ column: String) throws -> T? {
        let stored: DatabaseValue = row[column]
        if stored.isNull { return nil }
        return try required(column) as T
    }
}

extension MomentRecord: FetchableRecord {
    /// Column names are snake_case in SQL.
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.snakeCaseWithID
}

extension AppearanceReviewRecord: FetchableRecord {
    /// Column names are snake_case in SQL.
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.snakeCaseWithID
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
