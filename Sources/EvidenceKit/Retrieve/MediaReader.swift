public import Catalogue
import Foundation
public import Vault

#if canImport(Glibc)
    import Glibc
#endif

extension Library {
    /// Opens an asset's blob for authenticated random-access reads.
    public func openBlob(_ asset: AssetRecord) throws(EvidenceError) -> BlobReader {
        do {
            guard let id = UUID(uuidString: asset.id.rawValue) else {
                throw EvidenceError(.integrity, "Asset \(asset.id) has a malformed id in the catalogue.")
            }
            let key = try master.unwrapDataKey([UInt8](asset.wrappedKey), assetID: id)
            let path = layout.blobPath(assetID: asset.id.rawValue)
            guard FileManager.default.fileExists(atPath: path) else {
                throw EvidenceError(
                    .integrity, "The stored file of asset \(asset.id) is missing from the vault.", remedy: .verifyAndRestore)
            }
            return try BlobReader(path: path, assetID: id, key: key, name: "The stored file of asset \(asset.id)")
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Keyed content hash of an asset, computed by decrypting (and so authenticating) every chunk.
    func contentHash(ofAsset asset: AssetRecord) throws -> [UInt8] {
        let reader = try openBlob(asset)
        let hasher = try master.contentHasher()
        try reader.forEachChunk { hasher.update($0) }
        return hasher.finalize()
    }
}

extension Library {
    /// The asset and range of a moment, whatever its kind.
    func moment(_ id: MomentID) throws(EvidenceError) -> (asset: AssetRecord, startMs: Int64?, endMs: Int64?) {
        let found: MomentRecord?
        do { found = try catalogue.read { store in try store.moment(id: id) } } catch { throw EvidenceError.from(error) }
        guard let found else {
            throw EvidenceError(.usage, "There is no moment \(id).", field: Field("moment"), value: id.description, remedy: .listMoments)
        }
        guard let asset = found.assetID else {
            throw EvidenceError(
                .usage, "Moment \(id) is an observation from home: it has no photo or video.", field: Field("moment"),
                value: id.description)
        }
        return (try resolveAsset(asset.rawValue), found.startMs, found.endMs)
    }

    /// Finds one asset by full id or an unambiguous prefix of at least four characters.
    public func resolveAsset(_ idOrPrefix: String, field: Field = Field("asset")) throws(EvidenceError) -> AssetRecord {
        let needle = idOrPrefix.lowercased()
        let matches: [AssetRecord]
        do {
            if needle.count == 36 {
                matches = try catalogue.read { store in try store.asset(id: AssetID(needle)).map { [$0] } ?? [] }
            } else {
                guard needle.count >= 4 else {
                    throw EvidenceError(
                        .usage, "Give at least the first 4 characters of the asset id.", field: field, value: idOrPrefix,
                        remedy: .listAssets)
                }
                matches = try catalogue.read { store in try store.assets(idPrefix: needle) }
            }
        } catch {
            throw EvidenceError.from(error)
        }
        guard matches.count == 1, let only = matches.first else {
            if matches.isEmpty {
                throw EvidenceError(
                    .usage, "No asset id starts with \(needle).", field: field, value: idOrPrefix, remedy: .listAssets)
            }
            throw EvidenceError(
                .usage, "\(needle) matches several assets: \(matches.map(\.id.rawValue).joined(separator: ", ")). Type more of the id.",
                field: field, value: idOrPrefix)
        }
        return only
    }
}

/// Hands out an asset's decrypted bytes, audited before the first byte leaves.
public struct MediaReader: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// Writes an asset's decrypted bytes to a file descriptor (stdout for `evidence cat`), chunk by chunk, each only
    /// after it authenticated; cleared by the consent gate (exit 5 when refused, unless a break-glass `reason` is
    /// given) and audited before the first byte leaves.
    @discardableResult
    public func writeDecrypted(
        _ asset: AssetRecord, to descriptor: Int32, purpose: String = "cat", reason: String? = nil
    ) throws(EvidenceError) -> OutputClearance {
        let reader = try library.openBlob(asset)
        let clearance = try session.clearOutput(purpose, asset: asset, reason: reason, detail: "bytes=\(asset.byteSize)")
        do {
            try reader.forEachChunk { chunk in
                guard let base = chunk.baseAddress else { return }
                var done = 0
                while done < chunk.count {
                    let n = Glibc.write(descriptor, base + done, chunk.count - done)
                    if n < 0 {
                        if errno == EINTR { continue }
                        if errno == EPIPE { return }
                        throw SystemFile.error(function: "write", errno: errno, path: "standard output")
                    }
                    done += n
                }
            }
        } catch {
            throw EvidenceError.from(error)
        }
        return clearance
    }
}
