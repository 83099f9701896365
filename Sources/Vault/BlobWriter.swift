public import Foundation
internal import CSodium

/// Streams plaintext into a sealed blob file (format: ``BlobHeader``) in bounded memory.
///
/// ```swift
/// let writer = try BlobWriter(file: tmp, assetID: id, plaintextLength: size, key: dataKey)
/// try writer.write(bytes)      // as many times as needed
/// try writer.finish()          // checks the length, flushes and fsyncs
/// ```
///
/// Memory: one plaintext chunk and a 1 MiB output buffer, both wiped on `deinit`.
public final class BlobWriter {
    private let file: SystemFile
    private let cipher: ChunkCipher
    private let header: BlobHeader
    private let plain: UnsafeMutableRawBufferPointer
    private var plainCount = 0
    private let output: UnsafeMutableRawBufferPointer
    private var outputCount = 0
    private var chunkIndex: Int64 = 0
    private var received: Int64 = 0
    private var written: Int64 = 0
    private var writtenBack: Int64 = 0
    /// Whether the disk is asked to start on each 8 MiB as soon as it is written (see ``finish(sync:)``).
    public var writesBehind = false
    private static let writeBehindStep: Int64 = 8 << 20

    /// Starts a blob for `assetID` holding exactly `plaintextLength` bytes, and writes its header.
    public init(
        file: SystemFile,
        assetID: UUID,
        plaintextLength: Int64,
        key: SecretKey,
        chunkSize: Int = BlobHeader.defaultChunkSize
    ) throws(VaultError) {
        try requireSodium()
        self.file = file
        header = BlobHeader(
            chunkSize: chunkSize,
            plaintextLength: plaintextLength,
            assetID: assetID,
            noncePrefix: randomBytes(16)
        )
        cipher = ChunkCipher(header: header, key: key)
        plain = .allocate(byteCount: chunkSize, alignment: 16)
        let sealedChunk = chunkSize + BlobHeader.tagSize
        output = .allocate(byteCount: max(1, (1 << 20) / sealedChunk) * sealedChunk, alignment: 16)
        let encoded = header.encoded()
        try withBytes(encoded) { (raw) throws(VaultError) in try file.write(raw) }
    }

    deinit {
        wipe(plain)
        wipe(output)
        plain.deallocate()
        output.deallocate()
    }

    /// Appends plaintext; seals every chunk as soon as it is full.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(VaultError) {
        guard let base = bytes.baseAddress else { return }
        received += Int64(bytes.count)
        guard received <= header.plaintextLength else { throw Self.changed(file.path) }
        var offset = 0
        while offset < bytes.count {
            let take = min(header.chunkSize - plainCount, bytes.count - offset)
            guard let plainBase = plain.baseAddress else { return }
            (plainBase + plainCount).copyMemory(from: base + offset, byteCount: take)
            plainCount += take
            offset += take
            if plainCount == header.chunkSize, chunkIndex < header.chunkCount - 1 {
                try sealPending()
            }
        }
    }

    /// Seals the last chunk and writes everything; fsyncs the file unless `sync` is false (the caller then makes it
    /// durable with others, see ``SystemFile/syncFileSystem(containing:)``; with ``writesBehind`` the disk has
    /// been writing it all along, so that sync waits only for the last few MiB).
    public func finish(sync: Bool = true) throws(VaultError) {
        guard received == header.plaintextLength else { throw Self.changed(file.path) }
        try sealPending()
        try flush()
        if sync { try file.sync() } else if writesBehind { startWriteback() }
    }

    private func sealPending() throws(VaultError) {
        let sealedCount = plainCount + BlobHeader.tagSize
        if outputCount + sealedCount > output.count { try flush() }
        guard let outBase = output.baseAddress else { return }
        try cipher.seal(
            UnsafeRawBufferPointer(rebasing: plain[0..<plainCount]),
            index: chunkIndex,
            into: UnsafeMutableRawBufferPointer(start: outBase + outputCount, count: sealedCount)
        )
        outputCount += sealedCount
        chunkIndex += 1
        plainCount = 0
    }

    private func flush() throws(VaultError) {
        guard outputCount > 0 else { return }
        try file.write(UnsafeRawBufferPointer(rebasing: output[0..<outputCount]))
        written += Int64(outputCount)
        outputCount = 0
        if writesBehind, written - writtenBack >= Self.writeBehindStep { startWriteback() }
    }

    private func startWriteback() {
        file.startWriteback(offset: writtenBack, length: written - writtenBack)
        writtenBack = written
    }

    private static func changed(_ path: String) -> VaultError {
        VaultError(
            code: .inputChanged,
            message: "\((path as NSString).lastPathComponent): the original changed size while it was being copied. Let the device finish writing, then ingest again."
        )
    }
}
