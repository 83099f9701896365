/// The record of each ingest run.
public protocol IngestBatchStore {
    /// Starts a batch; returns its id.
    func insertBatch(_ batch: IngestBatchRecord) throws -> Int64
    /// Stores a finished batch's counts.
    func finishBatch(_ batch: IngestBatchRecord) throws
}
