public import Foundation
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
        let started = Date()
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
        batch.finishedAt = Date()
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

    // MARK: - One file

    private func ingestOne(
        _ input: IngestInput,
        batchID: Int64,
        options: IngestOptions,
        tally: IngestTally
    ) -> IngestOutcome {
        var outcome = IngestOutcome(
            path: input.path,
            status: .failed,
            asset: nil,
            reason: nil,
            movedOriginal: false,
            byteSize: input.size
        )
        defer { tally.fileDone(bytes: outcome.status == .ingested ? 0 : input.size) }
        let name = (input.path as NSString).lastPathComponent
        guard input.isRegular else {
            outcome.status = .skipped
            outcome.reason = "\(name) is not a regular file (a link, device or folder); skipped."
            return outcome
        }
        do {
            let fingerprint = try sourceFingerprint(input)
            if !options.rehash, !options.move, let known = try catalogue.read({ store in try store.knownSource(fingerprint) }) {
                outcome.status = .alreadyIngested
                outcome.asset = known
                return outcome
            }
            let probed: Result<MediaInfo, MediaError> = Result { () throws(MediaError) -> MediaInfo in
                try MediaProbe.probe(path: input.path, timeZone: timeZone)
            }
            let info: MediaInfo
            switch probed {
            case .success(let value):
                info = value
            case .failure(let error) where error.code == .notMedia:
                outcome.status = .skipped
                outcome.reason = error.message
                return outcome
            case .failure(let error):
                throw error
            }
            let partial = try partialHash(path: input.path, size: input.size)
            if try catalogue.read({ store in try store.hasPartialMatch(Data(partial)) }) {
                let full = try contentHash(path: input.path)
                if let existing = try catalogue.read({ store in try store.assetID(contentHash: Data(full)) }) {
                    try catalogue.write { store in try store.recordSource(fingerprint, assetID: existing) }
                    outcome.status = .duplicate
                    outcome.asset = existing
                    outcome.reason = "Same content as asset \(existing.short); not stored twice."
                    if options.move { outcome.movedOriginal = try removeOriginal(input.path, verifiedAgainst: existing, hash: full) }
                    return outcome
                }
            }
            let stored = try store(input, info: info, partialHash: partial, fingerprint: fingerprint, batchID: batchID, tally: tally)
            outcome.asset = stored.assetID
            if stored.isDuplicate {
                outcome.status = .duplicate
                outcome.reason = "Same content as asset \(stored.assetID.short); not stored twice."
            } else {
                outcome.status = .ingested
            }
            if options.move {
                outcome.movedOriginal = try removeOriginal(input.path, verifiedAgainst: stored.assetID, hash: stored.contentHash)
            }
        } catch {
            let lifted = EvidenceError.from(error)
            outcome.libraryDiskFull = lifted.isDiskFull
            outcome.status = .failed
            outcome.reason = lifted.message.contains(name) ? lifted.message : "\(name): \(lifted.message)"
        }
        return outcome
    }

    /// Hashes and encrypts one file in a single pass, then renames the blob into the vault and commits its row.
    private func store(
        _ input: IngestInput,
        info: MediaInfo,
        partialHash: [UInt8],
        fingerprint: Data,
        batchID: Int64,
        tally: IngestTally
    ) throws -> (assetID: AssetID, contentHash: [UInt8], isDuplicate: Bool) {
        let id = UUID()
        let assetID = AssetID(id.uuidString.lowercased())
        let (dataKey, wrappedKey) = try library.master.makeDataKey(assetID: id)
        let tempPath = library.layout.tmp.appendingPathComponent(assetID.rawValue + ".part").path
        let blobPath = library.layout.blobPath(assetID: assetID.rawValue)
        var blobPlaced = false
        var committed = false
        defer {
            if !committed {
                try? SystemFile.remove(tempPath)
                if blobPlaced { try? SystemFile.remove(blobPath) }
            }
        }

        let source = try SystemFile.openForReading(input.path)
        source.adviseSequential()
        let size = try source.size()
        let hasher = try library.master.contentHasher()
        do {
            let out = try SystemFile.createExclusive(tempPath)
            let writer = try BlobWriter(file: out, assetID: id, plaintextLength: size, key: dataKey)
            try Self.readBlocks(source) { block in
                hasher.update(block)
                try writer.write(block)
                tally.add(bytes: Int64(block.count))
            }
            try writer.finish()
        }
        let hash = hasher.finalize()
        FaultInjection.reached(.encrypted)
        if let existing = try catalogue.read({ store in try store.assetID(contentHash: Data(hash)) }) {
            try catalogue.write { store in try store.recordSource(fingerprint, assetID: existing) }
            return (existing, hash, true)
        }

        let directory = (blobPath as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try SystemFile.rename(tempPath, to: blobPath)
        blobPlaced = true
        try SystemFile.syncDirectory(directory)
        FaultInjection.reached(.renamed)

        var record = try assetRecord(
            id: assetID,
            info: info,
            input: input,
            contentHash: hash,
            partialHash: partialHash,
            wrappedKey: wrappedKey,
            batchID: batchID
        )
        do {
            try catalogue.write { store in
                try store.insertAsset(record)
                try store.recordSource(fingerprint, assetID: assetID)
            }
        } catch {
            // Another worker committed the same content first: ours is the duplicate.
            if let duplicate = error as? CatalogueError, duplicate.code == .duplicate,
                let existing = try catalogue.read({ store in try store.assetID(contentHash: Data(hash)) })
            {
                return (existing, hash, true)
            }
            throw error
        }
        committed = true
        tally.ingested(bytes: size)
        FaultInjection.reached(.committed)
        return (assetID, hash, false)
    }

    private func assetRecord(
        id: AssetID,
        info: MediaInfo,
        input: IngestInput,
        contentHash: [UInt8],
        partialHash: [UInt8],
        wrappedKey: [UInt8],
        batchID: Int64
    ) throws -> AssetRecord {
        var gps: Data? = nil
        if let lat = info.latitude, let lon = info.longitude {
            var parts: [String] = [String(lat), String(lon)]
            if let altitude = info.altitude { parts.append(String(altitude)) }
            let text = parts.joined(separator: ",")
            gps = try library.master.seal(text, context: "asset.gps")
        }
        let rawJSON = try JSONEncoder().encode(info.raw)
        return AssetRecord(
            id: id,
            kind: info.kind == .video ? .video : .photo,
            contentType: info.contentType,
            byteSize: info.byteSize,
            capturedAt: info.capturedAt,
            utcOffsetSeconds: info.utcOffsetSeconds,
            captureTimeSource: info.captureTimeSource.rawValue,
            make: info.make,
            model: info.model,
            width: info.width,
            height: info.height,
            rotation: info.rotation,
            mirrored: info.mirrored,
            durationSeconds: info.durationSeconds,
            videoCodec: info.videoCodec,
            audioCodec: info.audioCodec,
            frameRate: info.frameRate,
            gpsSealed: gps,
            originalNameSealed: try library.master.seal(input.relativePath, context: "asset.original_name"),
            rawMetadataSealed: try library.master.seal(String(decoding: rawJSON, as: UTF8.self), context: "asset.raw_metadata"),
            contentHash: Data(contentHash),
            partialHash: Data(partialHash),
            wrappedKey: Data(wrappedKey),
            batchID: batchID,
            ingestedAt: Date()
        )
    }

    // MARK: - Hashing

    /// Reads a file front to back in 1 MiB blocks, handing each to `body`.
    static func readBlocks(_ file: SystemFile, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer {
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            buffer.deallocate()
        }
        while true {
            let n = try file.read(into: buffer)
            if n == 0 { break }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    /// Keyed hash of a file's whole content.
    func contentHash(path: String) throws -> [UInt8] {
        let file = try SystemFile.openForReading(path)
        file.adviseSequential()
        let hasher = try library.master.contentHasher()
        try Self.readBlocks(file) { hasher.update($0) }
        return hasher.finalize()
    }

    /// Keyed hash of the size and the first and last MiB: equal files always match; different files almost never.
    private func partialHash(path: String, size: Int64) throws -> [UInt8] {
        let file = try SystemFile.openForReading(path)
        let hasher = try library.master.contentHasher()
        hasher.update(Array("partial.v1".utf8) + withUnsafeBytes(of: size.littleEndian) { Array($0) })
        var buffer = [UInt8](repeating: 0, count: Int(min(size, 1 << 20)))
        let tailOffset: Int64 = max(0, size - Int64(buffer.count))
        let offsets: [Int64] = tailOffset > 0 ? [0, tailOffset] : [0]
        defer { buffer.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        for offset in offsets {
            try buffer.withUnsafeMutableBytes { raw in
                let n = try file.read(into: raw, at: offset)
                hasher.update(UnsafeRawBufferPointer(rebasing: raw[0..<n]))
            }
        }
        return hasher.finalize()
    }

    /// Keyed fingerprint of where the file sits on the card, its size and modification time.
    private func sourceFingerprint(_ input: IngestInput) throws -> Data {
        let hasher = try library.master.sourceIdentityHasher()
        hasher.update(Array("\(input.relativePath)\u{0}\(input.size)\u{0}\(input.modified)".utf8))
        return Data(hasher.finalize())
    }

    // MARK: - Move

    /// Deletes the original only after the asset's blob decrypts and authenticates end to end and its content hash
    /// equals the original's.
    private func removeOriginal(_ path: String, verifiedAgainst assetID: AssetID, hash: [UInt8]) throws -> Bool {
        let readBack = try library.contentHash(ofAsset: library.resolveAsset(assetID.rawValue))
        guard readBack == hash else {
            throw EvidenceError(
                .integrity,
                "\((path as NSString).lastPathComponent) was kept: its stored copy did not read back identical. Check the whole vault (verify, reading all data) before trusting this library."
            )
        }
        try SystemFile.remove(path)
        return true
    }

    // MARK: - Sweep

    /// Removes what a crash can leave behind: temp files, and vault blobs that no catalogue row references (a crash
    /// between rename and commit). Only ever called under the library lock.
    func sweep() throws(EvidenceError) {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: library.layout.tmp.path)) ?? [] {
            try? SystemFile.remove(library.layout.tmp.appendingPathComponent(name).path)
        }
        let known: Set<String>
        do { known = Set(try catalogue.read { store in try store.allAssetIDs() }.map(\.rawValue)) } catch {
            throw EvidenceError.from(error)
        }
        for file in library.layout.vaultFiles() {
            guard let id = file.assetID, !known.contains(id) else { continue }
            try? SystemFile.remove(file.path)
        }
    }
}

/// Counts shared by the ingest workers, feeding the progress display.
final class IngestTally: @unchecked Sendable {
    private let lock = NSLock()
    private let filesTotal: Int
    private let bytesTotal: Int64
    private let progress: (any IngestProgress)?
    private var filesDone = 0
    private var bytesDone: Int64 = 0
    private(set) var bytesEncrypted: Int64 = 0

    init(filesTotal: Int, bytesTotal: Int64, progress: (any IngestProgress)?) {
        self.filesTotal = filesTotal
        self.bytesTotal = bytesTotal
        self.progress = progress
    }

    func add(bytes: Int64) {
        lock.lock()
        bytesDone += bytes
        let snapshot = (filesDone, bytesDone)
        lock.unlock()
        progress?.update(filesDone: snapshot.0, filesTotal: filesTotal, bytesDone: snapshot.1, bytesTotal: bytesTotal)
    }

    func ingested(bytes: Int64) {
        lock.lock()
        bytesEncrypted += bytes
        lock.unlock()
    }

    func fileDone(bytes: Int64) {
        lock.lock()
        filesDone += 1
        bytesDone += bytes
        let snapshot = (filesDone, bytesDone)
        lock.unlock()
        progress?.update(filesDone: snapshot.0, filesTotal: filesTotal, bytesDone: snapshot.1, bytesTotal: bytesTotal)
    }
}
