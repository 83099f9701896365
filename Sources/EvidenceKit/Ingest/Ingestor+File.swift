import Foundation
import Catalogue
import Media
import Vault

/// One file: skip what is known, encrypt the rest into a blob, commit its row, and (with `--move`) delete the original only once it reads back.
extension Ingestor {
    /// Extensions of the photo and video files cameras and phones write.
    static let mediaExtensions: Set<String> = [
        "jpg", "jpeg", "png", "heic", "heif", "avif", "webp", "tif", "tiff", "dng", "mp4", "m4v", "mov", "3gp", "mkv", "avi",
        "webm", "mts", "m2ts",
    ]

    func ingestOne(
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
        // Hidden files are said, never silently passed over.
        if name.hasPrefix("._") {
            outcome.status = .skipped
            outcome.reason = "\(name) is macOS metadata (an AppleDouble file), not media; skipped."
            return outcome
        }
        if name.hasPrefix(".") {
            outcome.status = .skipped
            outcome.reason = "\(name) is a hidden file; skipped."
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
                // Named like media but not readable as media: damaged (a corrupt magic byte), so it fails, and
                // staff do not wipe a card believing everything is safe. Anything else is not media at all.
                if Self.mediaExtensions.contains((name as NSString).pathExtension.lowercased()) {
                    outcome.status = .failed
                    outcome.reason =
                        "\(name) is named like a photo or video but its content is not one: it may be damaged. It was not ingested; keep the original."
                    return outcome
                }
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

    /// Hashes and encrypts one file in a single read, the two side by side, then renames the blob into the vault and commits its row.
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
            // Hashed on a second thread while this one seals and writes (HashingReader).
            try HashingReader.read(source, hashingInto: hasher) { block in
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

        let record = try assetRecord(
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
            ingestedAt: session.clock()
        )
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
}
