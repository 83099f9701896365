public import Foundation
internal import CSodium

/// The 64-byte header at the start of every sealed blob.
///
/// The complete format (version 1), enough to write an independent decrypter; `Docs/vault-format.md` says the same
/// with a worked example. All integers are little-endian.
///
/// ```text
/// offset size field
///      0    8 magic            "EVIDBLOB"
///      8    2 version          1
///     10    2 header length    64
///     12    4 chunk size       65536 (plaintext bytes per chunk; every chunk but the last is full)
///     16    8 plaintext length total plaintext bytes
///     24   16 asset id         the catalogue's UUID for this asset (binds the blob to its row)
///     40   16 nonce prefix     random per blob
///     56    8 reserved         zero
/// ```
///
/// After the header come `n = max(1, ceil(length / chunkSize))` chunks. Chunk `i` is
/// `crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext_i, key: DEK, nonce: prefix ‖ LE64(i),
/// ad: BLAKE2b-256(header) ‖ LE64(i) ‖ final)`, where `final` is one byte, 1 for chunk `n − 1` and 0 otherwise; each
/// sealed chunk is its plaintext length plus a 16-byte tag. The blob is exactly `64 + length + 16·n` bytes.
/// A flipped bit fails that chunk's tag; a dropped, duplicated or reordered chunk fails because the index is in the
/// nonce and the associated data; truncation or extension changes the file size and, failing that, the final flag;
/// a blob moved to another asset fails on the asset id and the data key.
public struct BlobHeader: Sendable, Equatable {
    /// "EVIDBLOB".
    static let magic: [UInt8] = Array("EVIDBLOB".utf8)
    /// Size of the header in bytes.
    public static let size = 64
    /// Default plaintext bytes per chunk.
    public static let defaultChunkSize = 65_536
    /// Authentication tag bytes per chunk.
    public static let tagSize = 16

    /// Format version.
    public var version: UInt16 = 1
    /// Plaintext bytes per chunk.
    public var chunkSize: Int
    /// Total plaintext bytes.
    public var plaintextLength: Int64
    /// The asset this blob belongs to.
    public var assetID: UUID
    /// Random per-blob nonce prefix.
    public var noncePrefix: [UInt8]

    /// Number of chunks (at least one, so an empty file still carries a final chunk).
    public var chunkCount: Int64 {
        max(1, (plaintextLength + Int64(chunkSize) - 1) / Int64(chunkSize))
    }

    /// The exact size of the whole blob file.
    public var blobSize: Int64 {
        Int64(Self.size) + plaintextLength + Int64(Self.tagSize) * chunkCount
    }

    /// Where chunk `index` starts in the blob file.
    public func offset(ofChunk index: Int64) -> Int64 {
        Int64(Self.size) + index * Int64(chunkSize + Self.tagSize)
    }

    /// Plaintext bytes in chunk `index`.
    public func plaintextCount(ofChunk index: Int64) -> Int {
        let start = index * Int64(chunkSize)
        return Int(max(0, min(Int64(chunkSize), plaintextLength - start)))
    }

    /// The 64 header bytes.
    public func encoded() -> [UInt8] {
        var out = Self.magic
        out += le(version) + le(UInt16(Self.size)) + le(UInt32(chunkSize)) + le(UInt64(plaintextLength))
        out += assetID.bytes + noncePrefix + [UInt8](repeating: 0, count: 8)
        return out
    }

    /// Parses and validates header bytes; `name` is used in messages.
    public static func decode(_ bytes: [UInt8], name: String) throws(VaultError) -> BlobHeader {
        func damaged(_ why: String) -> VaultError {
            VaultError(
                code: .integrityFailure,
                message: "\(name) is damaged (\(why)). Restore the library from a backup, or re-ingest the original.",
                integrity: .header
            )
        }
        guard bytes.count == size else { throw damaged("header is too short") }
        guard Array(bytes[0..<8]) == magic else { throw damaged("not an evidence blob") }
        let version: UInt16 = readLE(bytes, 8)
        guard version == 1 else { throw damaged("unknown format version \(version)") }
        guard readLE(bytes, 10) as UInt16 == UInt16(size) else { throw damaged("bad header length") }
        let chunkSize = Int(readLE(bytes, 12) as UInt32)
        guard chunkSize >= 1024, chunkSize <= 16 << 20 else { throw damaged("bad chunk size") }
        let length = readLE(bytes, 16) as UInt64
        guard length < UInt64(Int64.max / 2) else { throw damaged("bad length") }
        guard let id = UUID(bytes: bytes[24..<40]) else { throw damaged("bad asset id") }
        guard bytes[56..<64].allSatisfy({ $0 == 0 }) else { throw damaged("reserved bytes are set") }
        return BlobHeader(
            chunkSize: chunkSize,
            plaintextLength: Int64(length),
            assetID: id,
            noncePrefix: Array(bytes[40..<56])
        )
    }

    /// BLAKE2b-256 of the encoded header, bound into every chunk.
    func digest() -> [UInt8] {
        let header = encoded()
        var out = [UInt8](repeating: 0, count: 32)
        // BLAKE2b without a key over 64 in-memory bytes cannot fail; the return code is checked in debug builds.
        let rc = out.withUnsafeMutableBytes { o in
            header.withUnsafeBytes { h in
                crypto_generichash(pointer(o), 32, pointer(h), UInt64(h.count), nil, 0)
            }
        }
        assert(rc == 0)
        return out
    }
}

func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

func readLE<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: Int) -> T {
    var value: T = 0
    for i in 0..<MemoryLayout<T>.size {
        value |= T(bytes[offset + i]) << (8 * i)
    }
    return value
}
