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
    /// Each new file is read once: hashed and encrypted in the same pass, written to `tmp/`, fsynced, renamed into
    /// `vault/`, then committed. A crash at any point leaves at most a temp file or an unreferenced blob, which the
    /// next ingest sweeps; never a half asset or a duplicate.
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
        let outcomes = await runWorkers(inputs: inputs, concurrency: options.concurrency) { input in
            self.ingestOne(input, batchID: batchID, options: options, tally: tally)
        }
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

    /// Runs `work` over `inputs` on `concurrency` workers, keeping input order in the result. Once a file reports
    /// a full library disk, files not yet started are marked failed instead of being tried.
    private func runWorkers(
        inputs: [IngestInput],
        concurrency: Int,
        work: @escaping @Sendable (IngestInput) -> IngestOutcome
    ) async -> [IngestOutcome] {
        var results = [IngestOutcome?](repeating: nil, count: inputs.count)
        var diskFull = false
        var next = 0
        await withTaskGroup(of: (Int, IngestOutcome).self) { group in
            var running = 0
            while next < inputs.count || running > 0 {
                while running < max(1, concurrency), next < inputs.count {
                    let index = next
                    let input = inputs[index]
                    next += 1
                    if diskFull {
                        results[index] = Self.notStartedDiskFull(input)
                        continue
                    }
                    // Each task does blocking file I/O and crypto for one file; the group is never wider than the
                    // number of cores, so the cooperative pool is never asked for more threads than it has.
                    group.addTask { (index, work(input)) }
                    running += 1
                }
                guard let (index, outcome) = await group.next() else { break }
                running -= 1
                results[index] = outcome
                if outcome.libraryDiskFull { diskFull = true }
            }
        }
        return results.compactMap { $0 }
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
