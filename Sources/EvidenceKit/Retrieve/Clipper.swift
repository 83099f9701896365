public import Catalogue
import Foundation
import Media
internal import CPosix
internal import Vault

/// The vault reader seen as a random-access byte source for libavformat.
final class VaultSource: RandomAccessSource {
    let reader: BlobReader
    init(_ reader: BlobReader) { self.reader = reader }
    var length: Int64 { reader.length }
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        FaultInjection.reached(.clipRead)
        return try reader.read(into: buffer, at: offset)
    }
}

/// A video range to retrieve: a tagged moment, or an asset with times.
public struct ClipTarget: Sendable {
    /// The video.
    public var asset: AssetRecord
    /// Start, ms.
    public var startMs: Int64
    /// End, ms.
    public var endMs: Int64
    /// The moment it came from, if any.
    public var moment: MomentID?
}

/// What `clip` did.
public struct ClipResult: Sendable, Codable {
    /// The file written.
    public var output: String
    /// Where the clip starts in the source (the keyframe, for a stream copy), seconds.
    public var sourceStartSeconds: Double
    /// The clip's length, seconds.
    public var durationSeconds: Double
    /// Whether the video was re-encoded (`--exact`).
    public var exact: Bool
    /// Video frames re-encoded: for a smart cut only those before the first keyframe, the rest copied bit-identical.
    public var reencodedFrames: Int
    /// Why an exact cut re-encoded the whole range (another codec than H.264, an open GOP), or nil.
    public var fullReencodeReason: String?
    /// Plaintext bytes decrypted from the vault to make it (only the chunks the cut touched).
    public var bytesDecrypted: Int64
    /// The source video's length in bytes.
    public var sourceBytes: Int64
    /// What the person should know (co-present pupils, an unreviewed video, a consent override).
    public var warnings: [String]
}

/// Cuts clips straight out of the encrypted videos: to a file, a pipe, or back into the vault.
public struct Clipper: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// Resolves a moment (`m12`) or an asset id into a range of a video.
    ///
    /// For a moment, `from` and `to` count from the moment's start (`m12` from 5 s is 5 s into the moment); for an
    /// asset, from the start of the video. `duration` (ms) may stand in for `to`.
    public func clipTarget(
        _ reference: String, from: Int64?, to: Int64?, duration: Int64? = nil
    ) throws(EvidenceError) -> ClipTarget {
        if to != nil, duration != nil {
            throw EvidenceError(.usage, "Give the end or the length of the clip, not both.", field: Field("duration"))
        }
        if reference.lowercased().hasPrefix("m"), let id = MomentID(parsing: reference) {
            let (asset, momentStart, momentEnd) = try library.moment(id)
            guard asset.kind == .video else {
                throw EvidenceError(
                    .usage, "Moment \(id) is a photo, so it has no clip.", field: Field("moment"), value: id.description,
                    remedy: .useCatOrThumbnail)
            }
            let base = momentStart ?? 0
            let start = base + (from ?? 0)
            let end: Int64 = to.map { base + $0 } ?? duration.map { start + $0 } ?? momentEnd ?? asset.durationMs ?? 0
            let range = try MomentRange.checked(asset, from: start, to: end)
            return ClipTarget(asset: asset, startMs: range.start ?? start, endMs: range.end ?? end, moment: id)
        }
        let asset = try library.resolveAsset(reference)
        guard asset.kind == .video else {
            throw EvidenceError(
                .usage, "Asset \(asset.id.short) is a photo, so it has no clip.", field: Field("asset"),
                value: asset.id.rawValue, remedy: .useCatOrThumbnail)
        }
        let start = from ?? 0
        let range = try MomentRange.checked(asset, from: start, to: to ?? duration.map { start + $0 })
        return ClipTarget(asset: asset, startMs: range.start ?? 0, endMs: range.end ?? 0, moment: nil)
    }

    /// Cuts a clip from the encrypted video straight into `output` (a path, or `pipe:N` with `formatName`).
    ///
    /// A file has no name until it is complete (``PlaintextOutput``), so a failure, including a chunk that fails
    /// authentication or a kill -9, leaves nothing behind.
    ///
    /// The consent gate clears it first (exit 5 when refused, unless a break-glass `reason` is given), and it is
    /// audited, naming every pupil shown, before the first byte is written.
    public func clip(
        _ target: ClipTarget, output: String, exact: Bool = false, formatName: String? = nil, reason: String? = nil
    ) throws(EvidenceError) -> ClipResult {
        let reader = try library.openBlob(target.asset)
        let created = target.asset.capturedAt.addingTimeInterval(Double(target.startMs) / 1000)
        // What the output is, for the audit log: a player's pipe, the vault, or a file (or standard output, `pipe:1`).
        let action = output == "pipe:1" ? "clip" : output.hasPrefix("pipe:") ? "play" : output.hasPrefix("/proc/") ? "clip-into-vault" : "clip"
        let clearance = try session.clearOutput(
            action, asset: target.asset, occurredAt: created, reason: reason,
            detail: "\(target.moment?.description ?? "range") \(target.startMs)-\(target.endMs)ms exact=\(exact)")
        FaultInjection.reached(.clipAudited)
        var result = try cut(target, reader: reader, output: output, exact: exact, formatName: formatName)
        result.warnings = clearance.warnings
        return result
    }

    /// The cut itself, once the output is cleared and audited (by ``clip(_:output:exact:formatName:reason:)``, or by a
    /// share that audited its whole content list). `forSharing` leaves every piece of source metadata out.
    func cut(
        _ target: ClipTarget, reader given: BlobReader? = nil, output: String, exact: Bool = false, formatName: String? = nil,
        forSharing: Bool = false
    ) throws(EvidenceError) -> ClipResult {
        let reader: BlobReader
        if let given { reader = given } else { reader = try library.openBlob(target.asset) }
        let created = target.asset.capturedAt.addingTimeInterval(Double(target.startMs) / 1000)
        let request = ClipRequest(
            startMs: target.startMs, endMs: target.endMs, exact: exact, creationTime: created, forSharing: forSharing)
        // Pipes and in-memory files are written directly; a path is written unnamed and named when complete.
        let isPipe = output.hasPrefix("pipe:") || output.hasPrefix("/proc/self/fd/")
        let file = isPipe ? nil : PlaintextOutput(path: output)
        let pathExtension = URL(fileURLWithPath: output).pathExtension
        do {
            let report = try ClipCutter.cut(
                source: VaultSource(reader), name: "asset \(target.asset.id.short)", request: request,
                output: file?.destination ?? output, formatName: formatName ?? (pathExtension.isEmpty ? "mp4" : nil),
                fileName: output)
            FaultInjection.reached(.clipCut)
            try file?.commit()
            return ClipResult(
                output: output, sourceStartSeconds: Rounded.seconds(report.sourceStartSeconds),
                durationSeconds: Rounded.seconds(report.durationSeconds),
                exact: report.exact, reencodedFrames: report.reencodedFrames, fullReencodeReason: report.fullReencodeReason,
                bytesDecrypted: reader.bytesDecrypted, sourceBytes: reader.length, warnings: [])
        } catch {
            file?.discard()
            if let vault = error as? VaultError, vault.code == .integrityFailure {
                throw EvidenceError(
                    .integrity,
                    "The stored video of asset \(target.asset.id) failed authentication inside the clip's range, so no clip was written.",
                    remedy: .verifyAndRestore, cause: vault)
            }
            throw EvidenceError.from(error)
        }
    }

    /// Cuts a clip into an anonymous in-memory file (`memfd_create`: no path, never on a disk) and ingests it as a
    /// new encrypted asset linked to its source, so a moment can be kept or shared without any plaintext file.
    public func clipIntoVault(
        _ target: ClipTarget, exact: Bool = false, reason: String? = nil
    ) async throws(EvidenceError) -> StoredClip {
        let fd = csystem_memfd("evidence-clip")
        guard fd >= 0 else {
            throw EvidenceError(.failure, "Could not make an in-memory file for the clip (memfd_create failed: errno \(errno)).")
        }
        defer { close(fd) }
        let path = "/proc/self/fd/\(fd)"
        let cut = try clip(target, output: path, exact: exact, formatName: "mp4", reason: reason)
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else {
            throw EvidenceError(.failure, "The clip of \(target.asset.id.short) came out empty.")
        }
        let name = "clip-\(target.asset.id.short)-\(target.startMs)-\(target.endMs)ms.mp4"
        let input = IngestInput(
            path: path, relativePath: name, size: Int64(info.st_size), modified: Date().timeIntervalSince1970, isRegular: true)
        let report = try await Ingestor(session).ingest(inputs: { () throws(EvidenceError) in [input] })
        guard let outcome = report.files.first, let assetID = outcome.asset,
            outcome.status == .ingested || outcome.status == .duplicate
        else {
            throw EvidenceError(
                .failure, "The clip could not be stored: \(report.files.first?.reason ?? "unknown reason"). Nothing else changed.")
        }
        do {
            try catalogue.write { store in
                try store.insertDerivedAsset(
                    DerivedAssetRecord(
                        assetID: assetID, sourceAssetID: target.asset.id, startMs: target.startMs, endMs: target.endMs,
                        exact: exact, createdAt: session.clock(), createdBy: actor))
            }
        } catch {
            throw EvidenceError.from(error)
        }
        return StoredClip(
            asset: assetID, isNew: outcome.status == .ingested, source: target.asset.id, startMs: target.startMs,
            endMs: target.endMs, durationSeconds: Rounded.seconds(cut.durationSeconds))
    }
}

/// What `clip --into-vault` stored.
public struct StoredClip: Sendable, Codable {
    /// The new asset (or the existing one, if the same clip was stored before).
    public var asset: AssetID
    /// Whether it was new.
    public var isNew: Bool
    /// The video it was cut from.
    public var source: AssetID
    /// The range, ms.
    public var startMs: Int64
    /// The range, ms.
    public var endMs: Int64
    /// The clip's length, seconds.
    public var durationSeconds: Double
}

