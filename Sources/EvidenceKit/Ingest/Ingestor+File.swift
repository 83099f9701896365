import Foundation
import Catalogue
import Media
import Vault

/// One file: skip what is known, encrypt the rest into a blob in the vault (its row is committed with its batch), and (with `--move`) delete the original only once it reads back.
extension Ingestor {
    /// Extensions of the photo and video files cameras and phones write.
    static let mediaExtensions: Set<String> = [
        "jpg", "jpeg", "png", "heic", "heif", "avif", "webp", "tif", "tiff", "dng", "mp4", "m4v", "mov", "3gp", "mkv", "avi",
        "webm", "mts", "m2ts",
    ]

    /// What became of one file: decided (skipped, known, failed, a duplicate), or written into the vault and waiting
    /// for its batch's sync and commit (``commit(_:options:tally:)``).
    enum FileStep {
        case done(IngestOutcome)
        case pending(PendingAsset)
    }

    func ingestOne(
        _ input: IngestInput,
        index: Int,
        batchID: Int64,
        options: IngestOptions,
        tally: IngestTally
    ) -> FileStep {
        var pending: PendingAsset?
        var outcome = IngestOutcome(
            path: input.path,
            status: .failed,
            asset: nil,
            reason: nil,
            movedOriginal: false,
            byteSize: input.size
        )
        // A written file's bytes were counted as they were sealed.
        defer { tally.fileDone(bytes: pending != nil ? 0 : input.size) }
        let name = (input.path as NSString).lastPathComponent
        guard input.isRegular else {
            outcome.status = .skipped
            outcome.reason = "\(name) is not a regular file (a link, device or folder); skipped."
            return .done(outcome)
        }
        // Hidden files are said, never silently passed over.
        if name.hasPrefix("._") {
            outcome.status = .skipped
            outcome.reason = "\(name) is macOS metadata (an AppleDouble file), not media; skipped."
            return .done(outcome)
        }
        if name.hasPrefix(".") {
            outcome.status = .skipped
            outcome.reason = "\(name) is a hidden file; skipped."
            return .done(outcome)
        }
        do {
            let fingerprint = try sourceFingerprint(input)
            if !options.rehash, !options.move, let known = try catalogue.read({ store in try store.knownSource(fingerprint) }) {
                outcome.status = .alreadyIngested
                outcome.asset = known
                return .done(outcome)
            }
            let probed: Result<MediaInfo, MediaError> = Result { () throws(MediaError) -> MediaInfo in
                try MediaProbe.probe(path: input.path, timeZone: timeZone)
            }
            let info: MediaInfo
            switch probed {
            case .success(let value):
                info = value
            case .failure(let error) where error.code == .notMedia:
                // Named like media but not readable as media: damaged (a corrupt magic byte), so it fails, and
                // staff do not wipe a card believing everything is safe. Anything else is not media at all.
                if Self.mediaExtensions.contains((name as NSString).pathExtension.lowercased()) {
                    outcome.status = .failed
                    outcome.reason =
                        "\(name) is named like a photo or video but its content is not one: it may be damaged. It was not ingested; keep the original."
                    return .done(outcome)
                }
                outcome.status = .skipped
                outcome.reason = error.message
                return .done(outcome)
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
                    return .done(outcome)
                }
            }
            switch try store(input, index: index, info: info, partialHash: partial, fingerprint: fingerprint, batchID: batchID, tally: tally) {
            case .pending(let written):
                pending = written
                return .pending(written)
            case .duplicate(let existing, let hash):
                outcome.asset = existing
                outcome.status = .duplicate
                outcome.reason = "Same content as asset \(existing.short); not stored twice."
                if options.move { outcome.movedOriginal = try removeOriginal(input.path, verifiedAgainst: existing, hash: hash) }
            }
        } catch {
            let lifted = EvidenceError.from(error)
            outcome.libraryDiskFull = lifted.isDiskFull
            outcome.status = .failed
            outcome.reason = lifted.message.contains(name) ? lifted.message : "\(name): \(lifted.message)"
        }
        return .done(outcome)
    }

    /// What ``store(_:index:info:partialHash:fingerprint:batchID:tally:)`` made of a file.
    enum Stored {
        /// Its content is already an asset (found once it was hashed).
        case duplicate(AssetID, hash: [UInt8])
        /// Its blob is in the vault, not yet synced, and its row not yet committed.
        case pending(PendingAsset)
    }

    /// Hashes and encrypts one file in a single read, the two side by side, and renames the blob into the vault.
    /// It is not synced here: its batch is made durable with one `syncfs` and then committed (Ingestor+Batch).
    private func store(
        _ input: IngestInput,
        index: Int,
        info: MediaInfo,
        partialHash: [UInt8],
        fingerprint: Data,
        batchID: Int64,
        tally: IngestTally
    ) throws -> Stored {
        let id = UUID()
        let assetID = AssetID(id.uuidString.lowercased())
        let (dataKey, wrappedKey) = try library.master.makeDataKey(assetID: id)
        let tempPath = library.layout.tmp.appendingPathComponent(assetID.rawValue + ".part").path
        let blobPath = library.layout.blobPath(assetID: assetID.rawValue)
        var placed = false
        defer { if !placed { try? SystemFile.remove(tempPath) } }

        let source = try SystemFile.openForReading(input.path)
        source.adviseSequential()
        let size = try source.size()
        let hasher = try library.master.contentHasher()
        do {
            let out = try SystemFile.createExclusive(tempPath)
            let writer = try BlobWriter(file: out, assetID: id, plaintextLength: size, key: dataKey)
            // The disk writes each 8 MiB while the next is sealed, so the batch's sync has little left to wait for.
            writer.writesBehind = true
            // Hashed on a second thread while this one seals and writes (HashingReader).
            try HashingReader.read(source, hashingInto: hasher) { block in
                try writer.write(block)
                tally.add(bytes: Int64(block.count))
            }
            try writer.finish(sync: false)
        }
        let hash = hasher.finalize()
        FaultInjection.reached(.encrypted)
        if let existing = try catalogue.read({ store in try store.assetID(contentHash: Data(hash)) }) {
            try catalogue.write { store in try store.recordSource(fingerprint, assetID: existing) }
            return .duplicate(existing, hash: hash)
        }

        let directory = (blobPath as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let record = try assetRecord(
            id: assetID,
            info: info,
            input: input,
            contentHash: hash,
            partialHash: partialHash,
            wrappedKey: wrappedKey,
            batchID: batchID
        )
        try SystemFile.rename(tempPath, to: blobPath)
        placed = true
        FaultInjection.reached(.renamed)
        return .pending(PendingAsset(index: index, input: input, record: record, fingerprint: fingerprint, blobPath: blobPath))
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
            ingestedAt: session.clock()
        )
    }

    // MARK: - Move

    /// Deletes the original only after the asset's blob decrypts and authenticates end to end and its content hash
    /// equals the original's.
    func removeOriginal(_ path: String, verifiedAgainst assetID: AssetID, hash: [UInt8]) throws -> Bool {
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
}
