public import Catalogue
import Foundation

/// What happened to one input file.
public struct IngestOutcome: Codable, Sendable, Equatable {
    /// The outcome kinds.
    public enum Status: String, Codable, Sendable {
        /// Encrypted into the vault as a new asset.
        case ingested
        /// Same content as an asset already in the library (any name).
        case duplicate
        /// The same file (path on the card, size, time) was ingested before; not read again.
        case alreadyIngested = "already-ingested"
        /// Not a photo or video; left alone.
        case skipped
        /// Could not be ingested; see ``IngestOutcome/reason``.
        case failed
    }

    /// The path as given on the command line (shown only on this machine's terminal, never stored).
    public var path: String
    /// What happened.
    public var status: Status
    /// The new or existing asset.
    public var asset: AssetID?
    /// Why it was skipped or failed, and what to do.
    public var reason: String?
    /// Whether the original was deleted (`--move`).
    public var movedOriginal: Bool
    /// Bytes in the file.
    public var byteSize: Int64
    /// The failure was the library's disk filling up: the batch stops starting new files. Not part of the JSON.
    var libraryDiskFull = false

    enum CodingKeys: String, CodingKey {
        case path, status, asset, reason, movedOriginal, byteSize
    }
}

/// The result of one `evidence ingest`.
public struct IngestReport: Codable, Sendable {
    /// The batch row.
    public var batchID: Int64
    /// One outcome per input file, in input order.
    public var files: [IngestOutcome]
    /// Seconds from start to finish.
    public var seconds: Double
    /// Plaintext bytes encrypted.
    public var bytesEncrypted: Int64

    /// Files with `status`.
    public func count(_ status: IngestOutcome.Status) -> Int {
        files.filter { $0.status == status }.count
    }

    /// Whether any file failed (exit 1).
    public var anyFailed: Bool { files.contains { $0.status == .failed } }
}

/// Receives progress during an ingest (the CLI draws a bar on a terminal).
///
/// Called synchronously from the ingest workers, often (after every MiB): implementations rate-limit their own
/// drawing and must be thread-safe.
public protocol IngestProgress: Sendable {
    /// Called as files complete and bytes are processed.
    func update(filesDone: Int, filesTotal: Int, bytesDone: Int64, bytesTotal: Int64)
    /// Called once at the end.
    func finish()
}
