public import Catalogue
public import Foundation
public import Media
internal import GRDB
internal import Vault

/// The vault reader seen as a random-access byte source for libavformat.
final class VaultSource: RandomAccessSource {
    let reader: BlobReader
    init(_ reader: BlobReader) { self.reader = reader }
    var length: Int64 { reader.length }
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        try reader.read(into: buffer, at: offset)
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
    /// The moment it came from, if any (`m12`).
    public var moment: String?
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
    /// Plaintext bytes decrypted from the vault to make it (only the chunks the cut touched).
    public var bytesDecrypted: Int64
    /// The source video's length in bytes.
    public var sourceBytes: Int64
}

extension Library {
    /// The asset and start of a moment (`m12`), whatever its kind.
    func clipAsset(moment reference: String) throws(EvidenceError) -> (asset: AssetRecord, startMs: Int64) {
        let row: Row?
        do {
            row = try catalogue.read { db in
                try Row.fetchOne(db, sql: "SELECT asset_id, start_ms FROM moment WHERE id = ?", arguments: [Int64(reference.dropFirst()) ?? 0])
            }
        } catch {
            throw EvidenceError.from(error)
        }
        guard let row else { throw EvidenceError(.usage, "There is no moment \(reference) (see `evidence moments ASSET`).") }
        return (try resolveAsset(row["asset_id"]), row["start_ms"] ?? 0)
    }

    /// Resolves `m12` (a moment) or an asset id with `from`/`to` into a range of a video.
    public func clipTarget(_ reference: String, from: Int64?, to: Int64?) throws(EvidenceError) -> ClipTarget {
        if reference.lowercased().hasPrefix("m"), let id = Int64(reference.dropFirst()) {
            let row: Row?
            do {
                row = try catalogue.read { db in
                    try Row.fetchOne(db, sql: "SELECT asset_id, start_ms, end_ms FROM moment WHERE id = ?", arguments: [id])
                }
            } catch {
                throw EvidenceError.from(error)
            }
            guard let row else { throw EvidenceError(.usage, "There is no moment \(reference) (see `evidence moments ASSET`).") }
            let asset = try resolveAsset(row["asset_id"])
            guard asset.kind == "video" else {
                throw EvidenceError(.usage, "Moment \(reference) is a photo; use `evidence cat` or `evidence thumbnail`.")
            }
            let start: Int64 = from ?? row["start_ms"] ?? 0
            let durationMs = Int64(((asset.durationSeconds ?? 0) * 1000).rounded(.down))
            let end: Int64 = to ?? row["end_ms"] ?? durationMs
            let range = try checkedRange(asset, from: start, to: end)
            return ClipTarget(asset: asset, startMs: range.start ?? start, endMs: range.end ?? end, moment: reference.lowercased())
        }
        let asset = try resolveAsset(reference)
        guard asset.kind == "video" else {
            throw EvidenceError(.usage, "Asset \(asset.id.prefix(8)) is a photo; use `evidence cat` or `evidence thumbnail`.")
        }
        let range = try checkedRange(asset, from: from ?? 0, to: to)
        return ClipTarget(asset: asset, startMs: range.start ?? 0, endMs: range.end ?? 0, moment: nil)
    }

    /// Cuts a clip from the encrypted video straight into `output` (a path, or `pipe:N` with `formatName`).
    ///
    /// The clip is written under a temporary name beside `output` and renamed only when complete, so a failure
    /// (including a chunk that fails authentication) leaves no file behind. Every cut is audited.
    public func clip(
        _ target: ClipTarget, output: String, exact: Bool = false, formatName: String? = nil
    ) throws(EvidenceError) -> ClipResult {
        let reader = try openBlob(target.asset)
        let created = target.asset.capturedAt.addingTimeInterval(Double(target.startMs) / 1000)
        let request = ClipRequest(startMs: target.startMs, endMs: target.endMs, exact: exact, creationTime: created)
        let isPipe = output.hasPrefix("pipe:")
        let url = URL(fileURLWithPath: output)
        let partial = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.deletingPathExtension().lastPathComponent).partial-\(UUID().uuidString.prefix(8)).\(url.pathExtension)")
        let destination = isPipe ? output : partial.path
        do {
            let report = try ClipCutter.cut(
                source: VaultSource(reader), name: "asset \(target.asset.id.prefix(8))", request: request,
                output: destination, formatName: formatName ?? (url.pathExtension.isEmpty ? "mp4" : nil))
            if !isPipe {
                if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(atPath: output) }
                try FileManager.default.moveItem(at: partial, to: url)
            }
            try audit(
                isPipe ? "play" : "clip", assetID: target.asset.id,
                detail: "\(target.moment ?? "range") \(target.startMs)-\(target.endMs)ms exact=\(exact) decrypted=\(reader.bytesDecrypted)")
            return ClipResult(
                output: output, sourceStartSeconds: report.sourceStartSeconds, durationSeconds: report.durationSeconds,
                exact: report.exact, bytesDecrypted: reader.bytesDecrypted, sourceBytes: reader.length)
        } catch {
            if !isPipe { try? FileManager.default.removeItem(at: partial) }
            if let vault = error as? VaultError, vault.code == .integrityFailure {
                throw EvidenceError(
                    .integrity,
                    "The stored video of asset \(target.asset.id) failed authentication inside the clip's range, so no clip was written. Run `evidence verify --read-data` and restore the vault from a backup.",
                    cause: vault)
            }
            throw EvidenceError.from(error)
        }
    }
}
