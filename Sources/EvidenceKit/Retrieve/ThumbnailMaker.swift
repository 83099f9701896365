public import Catalogue
public import Foundation
internal import Media
internal import Vault

/// Makes upright poster frames of photos and video moments, kept in a sealed cache.
public struct ThumbnailMaker: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }
    /// A JPEG thumbnail (upright, `width` wide) of a photo, or of a video's frame at `atMs`, from the sealed cache
    /// when it was made before. The cache file is sealed with the library's field key and bound to its own name.
    /// Every thumbnail handed out is a decrypting read, and is audited like `cat` and `clip`.
    public func thumbnail(
        of asset: AssetRecord, atMs: Int64 = 0, width: Int = 320, reason: String? = nil
    ) throws(EvidenceError) -> (jpeg: Data, clearance: OutputClearance) {
        guard (16...4096).contains(width) else {
            throw EvidenceError(.usage, "The width must be between 16 and 4096 pixels.", field: Field("width"), value: String(width))
        }
        if asset.contentType == "image/heic" || asset.contentType == "image/heif" || asset.contentType == "image/avif" {
            throw EvidenceError(
                .usage, "Thumbnails of HEIC/AVIF photos are not supported yet (libavcodec 5.1 cannot decode them).",
                remedy: .useCatOrThumbnail)
        }
        let time = asset.kind == .video ? atMs : 0
        let clearance = try session.clearOutput(
            "thumbnail", asset: asset, occurredAt: asset.capturedAt.addingTimeInterval(Double(time) / 1000), reason: reason,
            detail: "at=\(time)ms width=\(width)")
        return (try poster(of: asset, atMs: time, width: width) ?? Data(), clearance)
    }

    /// The poster frame itself, from the sealed cache when made before: not audited (the caller has cleared and
    /// audited its output); nil for photos libavcodec 5.1 cannot decode.
    func poster(of asset: AssetRecord, atMs: Int64, width: Int) throws(EvidenceError) -> Data? {
        if asset.contentType == "image/heic" || asset.contentType == "image/heif" || asset.contentType == "image/avif" {
            return nil
        }
        let time = asset.kind == .video ? atMs : 0
        let key = "\(asset.id)-\(time)-\(width)"
        do {
            return try cachedThumbnail(
                of: asset, atMs: time, width: width, cached: library.layout.thumbnails.appendingPathComponent(key),
                context: "thumbnail:\(key)")
        } catch {
            if let vault = error as? VaultError, vault.code == .integrityFailure {
                throw EvidenceError(.integrity, "The stored file of asset \(asset.id) failed authentication: \(vault.message)", cause: vault)
            }
            throw EvidenceError.from(error)
        }
    }

    private func cachedThumbnail(of asset: AssetRecord, atMs: Int64, width: Int, cached: URL, context: String) throws -> Data {
        if let sealed = FileManager.default.contents(atPath: cached.path) {
            return Data(try library.master.open(bytes: sealed, context: context))
        }
        let reader = try library.openBlob(asset)
        let jpeg = try Thumbnailer.jpeg(
            source: VaultSource(reader), name: "asset \(asset.id.short)", atMs: atMs, rotation: asset.rotation,
            mirrored: asset.mirrored, width: width)
        try FileManager.default.createDirectory(
            at: library.layout.thumbnails, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try library.master.seal(bytes: [UInt8](jpeg), context: context).write(to: cached, options: .atomic)
        return jpeg
    }

    /// The asset and start time a moment (`m12`) or an asset id refers to, for thumbnails.
    public func posterTarget(_ reference: String, at: Int64?) throws(EvidenceError) -> (asset: AssetRecord, atMs: Int64) {
        if let moment = MomentID(parsing: reference), reference.lowercased().hasPrefix("m") {
            let found = try library.moment(moment)
            return (found.asset, at ?? found.startMs ?? 0)
        }
        return (try library.resolveAsset(reference), at ?? 0)
    }
}
