import Foundation
import Testing
import Vault

@Suite struct BlobTests {
    /// Runs `body` and returns the vault error it threw (nil if it threw nothing, or something else).
    func vaultError(_ body: () throws -> Void) -> VaultError? {
        do {
            try body()
            return nil
        } catch {
            return error as? VaultError
        }
    }

    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("blob-\(UUID().uuidString)").path
    }

    func seal(_ plain: [UInt8], id: UUID, key: SecretKey) throws -> String {
        let path = temporaryPath()
        let file = try SystemFile.createExclusive(path)
        let writer = try BlobWriter(file: file, assetID: id, plaintextLength: Int64(plain.count), key: key, chunkSize: 4096)
        try plain.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {  // odd-sized writes
                let n = min(1000, raw.count - offset)
                try writer.write(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + n]))
                offset += n
            }
        }
        try writer.finish()
        return path
    }

    @Test(arguments: [0, 1, 4095, 4096, 4097, 50_001])
    func roundTripAtOddOffsets(size: Int) throws {
        let plain = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let id = UUID()
        let key = try SecretKey.random()
        let path = try seal(plain, id: id, key: key)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try BlobReader(path: path, assetID: id, key: key, name: "test")
        #expect(reader.length == Int64(size))
        var streamed: [UInt8] = []
        try reader.forEachChunk { streamed += $0 }
        #expect(streamed == plain)
        for offset in [0, 1, 4095, 4096, 12_345, size - 3].filter({ $0 >= 0 && $0 < size }) {
            var buffer = [UInt8](repeating: 0, count: 777)
            let n = try buffer.withUnsafeMutableBytes { try reader.read(into: $0, at: Int64(offset)) }
            #expect(Array(buffer[0..<n]) == Array(plain[offset..<min(size, offset + 777)]))
        }
    }

    @Test func bitFlipTruncationAndWrongAssetAreDetected() throws {
        let plain = [UInt8](repeating: 0x41, count: 20_000)
        let id = UUID()
        let key = try SecretKey.random()
        let path = try seal(plain, id: id, key: key)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let swapped = vaultError { _ = try BlobReader(path: path, assetID: UUID(), key: key, name: "x") }
        #expect(swapped?.code == .integrityFailure && swapped?.integrity == .wrongAsset, "\(String(describing: swapped))")
        let otherKey = try SecretKey.random()
        let wrongKey = vaultError {
            var b = [UInt8](repeating: 0, count: 10)
            _ = try b.withUnsafeMutableBytes { try BlobReader(path: path, assetID: id, key: otherKey, name: "x").read(into: $0, at: 0) }
        }
        #expect(wrongKey?.integrity == .authentication, "\(String(describing: wrongKey))")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[64 + 4096 + 16 + 5] ^= 0x01  // inside chunk 1
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try BlobReader(path: path, assetID: id, key: key, name: "x")
        var first = [UInt8](repeating: 0, count: 10)
        _ = try first.withUnsafeMutableBytes { try reader.read(into: $0, at: 0) }  // chunk 0 is intact
        let flipped = vaultError {
            var b = [UInt8](repeating: 0, count: 10)
            _ = try b.withUnsafeMutableBytes { try reader.read(into: $0, at: 4096) }
        }
        #expect(flipped?.code == .integrityFailure && flipped?.integrity == .authentication, "\(String(describing: flipped))")
        try Data(bytes.dropLast(100)).write(to: URL(fileURLWithPath: path))
        let truncated = vaultError { _ = try BlobReader(path: path, assetID: id, key: key, name: "x") }
        #expect(truncated?.code == .integrityFailure && truncated?.integrity == .wrongSize, "\(String(describing: truncated))")
        var header = bytes
        header[0] ^= 0xFF
        try Data(header).write(to: URL(fileURLWithPath: path))
        let badHeader = vaultError { _ = try BlobReader(path: path, assetID: id, key: key, name: "x") }
        #expect(badHeader?.code == .integrityFailure && badHeader?.integrity == .header, "\(String(describing: badHeader))")
    }

    @Test func wrongPassphraseIsRefused() throws {
        let master = try MasterKey.generate()
        let (slots, recovery) = try KeySlots.create(master: master, passphrase: "right passphrase", strength: .interactive)
        _ = try slots.unlock(with: "right passphrase")
        _ = try slots.unlock(with: recovery)
        let wrong = vaultError { _ = try slots.unlock(with: "wrong passphrase") }
        #expect(wrong?.code == .wrongPassphrase, "\(String(describing: wrong))")
    }
}
