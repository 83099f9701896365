public import Foundation

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
