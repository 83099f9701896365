import Foundation
import Catalogue
import Media
import Vault

/// Choices for one ingest.
public struct IngestOptions: Sendable {
    /// Delete each original once its blob is committed and read back verified.
    public var move = false
    /// Read every file in full even if its identity on the card was seen before.
    public var rehash = false
    /// Files processed at once (default: one per core).
    public var concurrency = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// The defaults.
    public init() {}
}

/// Copies photos and videos into the vault: metadata read, duplicates skipped, every byte encrypted.
public struct Ingestor: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }
    /// Ingests files and folders (recursively): probes each, skips what is not media or already here, and
    /// encrypts the rest into the vault, one catalogue row per new asset.
    ///
    /// Each new file is read once: hashed and encrypted side by side, written to `tmp/` and renamed into `vault/`;
    /// each worker's batch of such blobs is then made durable by one `syncfs` and its rows committed in one
    /// transaction. A crash at any point leaves at most temp files or unreferenced blobs, which the next ingest
    /// sweeps; never a half asset, a row without its blob, or a duplicate.
    ///
    /// ```swift
    /// let report = try await library.ingest(paths: ["/media/card/DCIM"], options: IngestOptions())
    /// print(report.count(.ingested), "new")
    /// ```
    public func ingest(
        paths: [String],
        options: IngestOptions = IngestOptions(),
        progress: (any IngestProgress)? = nil
    ) async throws(EvidenceError) -> IngestReport {
        try await ingest(inputs: { () throws(EvidenceError) in try IngestInputs.expand(paths) }, options: options, progress: progress)
    }

    /// Ingests prepared inputs (a clip in memory, say); `inputs` runs under the library lock.
    func ingest(
        inputs makeInputs: () throws(EvidenceError) -> [IngestInput],
        options: IngestOptions = IngestOptions(),
        progress: (any IngestProgress)? = nil
    ) async throws(EvidenceError) -> IngestReport {
        let lock = try library.lock()
        defer { withExtendedLifetime(lock) {} }
        let started = session.clock()
        try sweep()
        let inputs = try makeInputs()
        var batch = IngestBatchRecord(startedAt: started, actor: actor)
        let batchID: Int64
        do { batchID = try catalogue.write { store in try store.insertBatch(batch) } } catch { throw EvidenceError.from(error) }
        batch.id = batchID

        var bytesTotal: Int64 = 0
        for input in inputs { bytesTotal += input.size }
        let tally = IngestTally(filesTotal: inputs.count, bytesTotal: bytesTotal, progress: progress)
        let outcomes = await runWorkers(inputs: inputs, batchID: batchID, options: options, tally: tally)
        progress?.finish()

        let report = IngestReport(
            batchID: batchID,
            files: outcomes,
            seconds: Date().timeIntervalSince(started),
            bytesEncrypted: tally.bytesEncrypted
        )
        batch.finishedAt = session.clock()
        batch.ingested = report.count(.ingested)
        batch.duplicates = report.count(.duplicate) + report.count(.alreadyIngested)
        batch.skipped = report.count(.skipped)
        batch.failed = report.count(.failed)
        batch.bytes = report.bytesEncrypted
        do {
            try catalogue.write { store in
                try store.finishBatch(batch)
                try store.appendAudit(
                    session.auditDraft(
                    "ingest",
                        detail: "batch=\(batchID) ingested=\(batch.ingested) duplicates=\(batch.duplicates) skipped=\(batch.skipped) failed=\(batch.failed)"
                    ))
            }
        } catch {
            throw EvidenceError.from(error)
        }
        return report
    }

    /// Runs `options.concurrency` workers over `inputs` (each takes the next file and commits in batches), keeping
    /// input order in the result. Once a file reports a full library disk, files not yet started are marked failed
    /// instead of being tried.
    private func runWorkers(
        inputs: [IngestInput], batchID: Int64, options: IngestOptions, tally: IngestTally
    ) async -> [IngestOutcome] {
        let queue = InputQueue(count: inputs.count)
        let workers = max(1, min(options.concurrency, inputs.count))
        // Each worker does blocking file I/O and crypto; there are never more of them than cores, so the
        // cooperative pool is never asked for more threads than it has.
        let decided = await withTaskGroup(of: [(Int, IngestOutcome)].self) { group in
            for _ in 0..<workers {
                group.addTask { self.work(inputs, queue: queue, batchID: batchID, options: options, tally: tally) }
            }
            var all: [(Int, IngestOutcome)] = []
            for await part in group { all += part }
            return all
        }
        var results = [IngestOutcome?](repeating: nil, count: inputs.count)
        for (index, outcome) in decided { results[index] = outcome }
        return results.enumerated().map { index, outcome in outcome ?? Self.notStartedDiskFull(inputs[index]) }
    }

    private static func notStartedDiskFull(_ input: IngestInput) -> IngestOutcome {
        IngestOutcome(
            path: input.path,
            status: .failed,
            reason: "Not started: the library's disk is full. Free some space and run the same command again.",
            movedOriginal: false,
            byteSize: input.size
        )
    }
}
