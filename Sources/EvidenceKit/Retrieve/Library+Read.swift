public import Catalogue
public import Foundation
public import Vault

#if canImport(Glibc)
    import Glibc
#endif

extension Library {
    /// Opens an asset's blob for authenticated random-access reads.
    public func openBlob(_ asset: AssetRecord) throws(EvidenceError) -> BlobReader {
        do {
            guard let id = UUID(uuidString: asset.id) else {
                throw EvidenceError(.integrity, "Asset \(asset.id) has a malformed id in the catalogue.")
            }
            let key = try master.unwrapDataKey([UInt8](asset.wrappedKey), assetID: id)
            let path = layout.blobPath(assetID: asset.id)
            guard FileManager.default.fileExists(atPath: path) else {
                throw EvidenceError(
                    .integrity,
                    "The stored file of asset \(asset.id) is missing from the vault. Restore the library's vault/ folder from a backup."
                )
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

    /// Writes an asset's decrypted bytes to a file descriptor (stdout for `evidence cat`), chunk by chunk, each only
    /// after it authenticated; audited before the first byte leaves.
    public func writeDecrypted(_ asset: AssetRecord, to descriptor: Int32, purpose: String = "cat") throws(EvidenceError) {
        let reader = try openBlob(asset)
        try audit(purpose, assetID: asset.id, detail: "bytes=\(asset.byteSize)")
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
    }
}
