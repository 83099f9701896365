public import Foundation

/// Random-access, authenticated reads from a sealed blob (format: ``BlobHeader``).
///
/// Only the chunks a read touches are decrypted, one chunk is cached, and no byte is returned before its chunk has
/// authenticated. Reading at odd offsets, backwards, or in the middle costs one chunk per 64 KiB touched.
///
/// ```swift
/// let reader = try BlobReader(path: blobPath, assetID: id, key: dataKey, name: "asset 3f2a…")
/// var buffer = [UInt8](repeating: 0, count: 4096)
/// let n = try buffer.withUnsafeMutableBytes { try reader.read(into: $0, at: 1_000_003) }
/// ```
public final class BlobReader: @unchecked Sendable {
    /// The blob's header.
    public let header: BlobHeader
    private let file: SystemFile
    private let cipher: ChunkCipher
    private let name: String
    private let sealed: UnsafeMutableRawBufferPointer
    private let plain: UnsafeMutableRawBufferPointer
    private var cachedIndex: Int64 = -1
    /// Sealed bytes decrypted so far (for benchmarks: how much work a read did).
    public private(set) var bytesDecrypted: Int64 = 0

    /// Opens the blob at `path`, checking its header against `assetID` and its size against the header.
    public init(path: String, assetID: UUID, key: SecretKey, name: String) throws(VaultError) {
        let file = try SystemFile.openForReading(path)
        self.file = file
        self.name = name
        var headerBytes = [UInt8](repeating: 0, count: BlobHeader.size)
        let got = try withMutableBytes(&headerBytes) { (raw) throws(VaultError) in try file.read(into: raw, at: 0) }
        header = try BlobHeader.decode(Array(headerBytes[0..<got]), name: name)
        guard header.assetID == assetID else {
            throw VaultError(
                code: .integrityFailure,
                message: "\(name) holds another asset's data: the vault file was swapped or renamed. Restore it from a backup.",
                integrity: .wrongAsset
            )
        }
        let actual = try file.size()
        guard actual == header.blobSize else {
            throw VaultError(
                code: .integrityFailure,
                message: "\(name) has the wrong size (\(actual) bytes, expected \(header.blobSize)): it was truncated or extended. Restore it from a backup.",
                integrity: .wrongSize
            )
        }
        cipher = ChunkCipher(header: header, key: key)
        sealed = .allocate(byteCount: header.chunkSize + BlobHeader.tagSize, alignment: 16)
        plain = .allocate(byteCount: header.chunkSize, alignment: 16)
    }

    deinit {
        wipe(plain)
        sealed.deallocate()
        plain.deallocate()
    }

    /// Total plaintext bytes.
    public var length: Int64 { header.plaintextLength }

    /// Decrypts chunk `index` into the cache and returns its plaintext.
    private func chunk(_ index: Int64) throws(VaultError) -> UnsafeRawBufferPointer {
        let count = header.plaintextCount(ofChunk: index)
        if index != cachedIndex {
            cachedIndex = -1
            let sealedCount = count + BlobHeader.tagSize
            let target = UnsafeMutableRawBufferPointer(rebasing: sealed[0..<sealedCount])
            let got = try file.read(into: target, at: header.offset(ofChunk: index))
            guard got == sealedCount else {
                throw VaultError(code: .integrityFailure, message: "\(name) is truncated at chunk \(index).", integrity: .truncated)
            }
            try cipher.open(
                UnsafeRawBufferPointer(target),
                index: index,
                into: UnsafeMutableRawBufferPointer(rebasing: plain[0..<count]),
                name: name
            )
            bytesDecrypted += Int64(sealedCount)
            cachedIndex = index
        }
        return UnsafeRawBufferPointer(rebasing: plain[0..<count])
    }

    /// Reads up to `buffer.count` plaintext bytes starting at `offset`; returns 0 at the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(VaultError) -> Int {
        guard let target = buffer.baseAddress, offset >= 0 else { return 0 }
        var done = 0
        var position = offset
        while done < buffer.count, position < header.plaintextLength {
            let index = position / Int64(header.chunkSize)
            let within = Int(position - index * Int64(header.chunkSize))
            let bytes = try chunk(index)
            let take = min(bytes.count - within, buffer.count - done)
            guard let source = bytes.baseAddress else { break }
            (target + done).copyMemory(from: source + within, byteCount: take)
            done += take
            position += Int64(take)
        }
        return done
    }

    /// Streams every chunk in order, each only after it has authenticated.
    public func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        for index in 0..<header.chunkCount {
            try body(try chunk(index))
        }
    }
}
