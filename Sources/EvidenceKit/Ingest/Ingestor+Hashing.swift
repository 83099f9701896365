import Foundation
import Catalogue
import Media
import Vault

/// Keyed hashes of source files: the full content, the cheap partial hash, and the re-plugged-card fingerprint.
extension Ingestor {
    /// Reads a file front to back in 1 MiB blocks, handing each to `body`.
    static func readBlocks(_ file: SystemFile, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer {
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            buffer.deallocate()
        }
        while true {
            let n = try file.read(into: buffer)
            if n == 0 { break }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    /// Keyed hash of a file's whole content.
    func contentHash(path: String) throws -> [UInt8] {
        let file = try SystemFile.openForReading(path)
        file.adviseSequential()
        let hasher = try library.master.contentHasher()
        try Self.readBlocks(file) { hasher.update($0) }
        return hasher.finalize()
    }

    /// Keyed hash of the size and the first and last MiB: equal files always match; different files almost never.
    func partialHash(path: String, size: Int64) throws -> [UInt8] {
        let file = try SystemFile.openForReading(path)
        let hasher = try library.master.contentHasher()
        hasher.update(Array("partial.v1".utf8) + withUnsafeBytes(of: size.littleEndian) { Array($0) })
        var buffer = [UInt8](repeating: 0, count: Int(min(size, 1 << 20)))
        let tailOffset: Int64 = max(0, size - Int64(buffer.count))
        let offsets: [Int64] = tailOffset > 0 ? [0, tailOffset] : [0]
        defer { _ = buffer.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        for offset in offsets {
            try buffer.withUnsafeMutableBytes { raw in
                let n = try file.read(into: raw, at: offset)
                hasher.update(UnsafeRawBufferPointer(rebasing: raw[0..<n]))
            }
        }
        return hasher.finalize()
    }

    /// Keyed fingerprint of where the file sits on the card, its size and modification time.
    func sourceFingerprint(_ input: IngestInput) throws -> Data {
        let hasher = try library.master.sourceIdentityHasher()
        hasher.update(Array("\(input.relativePath)\u{0}\(input.size)\u{0}\(input.modified)".utf8))
        return Data(hasher.finalize())
    }
}
