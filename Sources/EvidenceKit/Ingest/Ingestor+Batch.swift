import Foundation
import Catalogue
import Synchronization
import Vault

/// A file whose blob is written and renamed into the vault, waiting for its batch: one `syncfs` makes every blob of
/// the batch durable (data, new directories, renames), then one transaction commits their rows. A row is therefore
/// still committed only after its blob is durable; a crash before the commit leaves blobs without rows, which the
/// next ingest sweeps, never a row without its blob.
struct PendingAsset {
    /// The file's place in the ingest's inputs.
    let index: Int
    let input: IngestInput
    let record: AssetRecord
    let fingerprint: Data
    let blobPath: String
}

extension Ingestor {
    /// A worker's batch is committed once it holds this many files or bytes, and at the end: syncs and commits
    /// grow with the number of batches, not of files, and a crash loses at most one batch's work (done again by
    /// the next run).
    static let batchFiles = 32
    static let batchBytes: Int64 = 256 << 20

    /// The next input to take, shared by the workers; stopped once the library's disk is full.
    final class InputQueue: Sendable {
        private let state = Mutex((next: 0, stopped: false))
        let count: Int
        init(count: Int) { self.count = count }

        func next() -> Int? {
            state.withLock { state in
                guard !state.stopped, state.next < count else { return nil }
                defer { state.next += 1 }
                return state.next
            }
        }

        func stop() { state.withLock { $0.stopped = true } }
    }

    /// One worker: takes the next file until none are left, and commits what it wrote in batches.
    func work(
        _ inputs: [IngestInput], queue: InputQueue, batchID: Int64, options: IngestOptions, tally: IngestTally
    ) -> [(Int, IngestOutcome)] {
        var decided: [(Int, IngestOutcome)] = []
        var batch: [PendingAsset] = []
        var bytes: Int64 = 0
        func flush() {
            let committed = commit(batch, options: options, tally: tally)
            if committed.contains(where: { $0.1.libraryDiskFull }) { queue.stop() }
            decided += committed
            batch = []
            bytes = 0
        }
        while let index = queue.next() {
            switch ingestOne(inputs[index], index: index, batchID: batchID, options: options, tally: tally) {
            case .done(let outcome):
                decided.append((index, outcome))
                if outcome.libraryDiskFull { queue.stop() }
            case .pending(let written):
                batch.append(written)
                bytes += written.record.byteSize
                if batch.count >= Self.batchFiles || bytes >= Self.batchBytes { flush() }
            }
        }
        flush()
        return decided
    }

    /// Makes a batch durable and commits its rows; then (with `--move`) deletes each original once its asset reads
    /// back. A file whose content was committed meanwhile by another worker is a duplicate, and its blob goes.
    func commit(_ batch: [PendingAsset], options: IngestOptions, tally: IngestTally) -> [(Int, IngestOutcome)] {
        guard !batch.isEmpty else { return [] }
        let existing: [Int: AssetID]
        do {
            try SystemFile.syncFileSystem(containing: library.layout.vault.path)
            existing = try catalogue.write { store in
                var found: [Int: AssetID] = [:]
                for (position, item) in batch.enumerated() {
                    if let asset = try store.assetID(contentHash: item.record.contentHash) {
                        try store.recordSource(item.fingerprint, assetID: asset)
                        found[position] = asset
                    } else {
                        try store.insertAsset(item.record)
                        try store.recordSource(item.fingerprint, assetID: item.record.id)
                    }
                }
                return found
            }
        } catch {
            // Nothing of the batch is committed: each of its files failed, and its blob goes.
            let lifted = EvidenceError.from(error)
            return batch.map { item in
                try? SystemFile.remove(item.blobPath)
                let name = (item.input.path as NSString).lastPathComponent
                var outcome = IngestOutcome(
                    path: item.input.path, status: .failed, asset: nil,
                    reason: lifted.message.contains(name) ? lifted.message : "\(name): \(lifted.message)",
                    movedOriginal: false, byteSize: item.input.size)
                outcome.libraryDiskFull = lifted.isDiskFull
                return (item.index, outcome)
            }
        }
        return batch.enumerated().map { position, item in
            var outcome = IngestOutcome(
                path: item.input.path, status: .ingested, asset: item.record.id, reason: nil, movedOriginal: false,
                byteSize: item.input.size)
            if let asset = existing[position] {
                try? SystemFile.remove(item.blobPath)
                outcome.status = .duplicate
                outcome.asset = asset
                outcome.reason = "Same content as asset \(asset.short); not stored twice."
            } else {
                tally.ingested(bytes: item.record.byteSize)
                FaultInjection.reached(.committed)
            }
            if options.move, let asset = outcome.asset {
                do {
                    outcome.movedOriginal = try removeOriginal(item.input.path, verifiedAgainst: asset, hash: Array(item.record.contentHash))
                } catch {
                    let lifted = EvidenceError.from(error)
                    outcome.status = .failed
                    outcome.reason = lifted.message
                }
            }
            return (item.index, outcome)
        }
    }
}
