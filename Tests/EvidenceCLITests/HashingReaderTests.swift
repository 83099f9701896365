import Foundation
import Testing
import Vault
@testable import EvidenceKit

/// Ingest hashes each file on a second thread while it seals it (HashingReader): the hash must equal hashing the
/// same bytes in order on one thread, whatever the file's length against the block size, every byte must reach the
/// body in order, and a failing body must end the hashing thread rather than leave it waiting.
struct HashingReaderTests {
    private func file(_ bytes: [UInt8]) throws -> (SystemFile, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hashing-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (try SystemFile.openForReading(path), path)
    }

    @Test(arguments: [0, 1, 4095, 4096, 4097, 3 * 4096 + 1234, 40_000])
    func theHashAndTheBytesAreThoseOfOneThread(length: Int) throws {
        let master = try MasterKey.generate()
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for depth in [2, 3] {
            let (source, path) = try file(bytes)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let hasher = try master.contentHasher()
            var seen: [UInt8] = []
            try HashingReader.read(source, hashingInto: hasher, blockSize: 4096, depth: depth) { seen += $0 }
            let expected = try master.contentHasher()
            expected.update(bytes)
            #expect(hasher.finalize() == expected.finalize(), "length \(length), depth \(depth)")
            #expect(seen == bytes)
        }
    }

    struct Refused: Error {}

    @Test func aFailingBodyStopsTheHashingThread() throws {
        let master = try MasterKey.generate()
        for failAt in [0, 1, 5] {
            let (source, path) = try file([UInt8](repeating: 7, count: 10 * 4096))
            defer { try? FileManager.default.removeItem(atPath: path) }
            var calls = 0
            // Returns (does not hang) with the body's own error, at the block where it was thrown.
            #expect(throws: Refused.self) {
                try HashingReader.read(source, hashingInto: try master.contentHasher(), blockSize: 4096, depth: 2) { _ in
                    if calls == failAt { throw Refused() }
                    calls += 1
                }
            }
            #expect(calls == failAt)
        }
    }

    @Test func aFailingReadStopsTheHashingThread() throws {
        // read(2) on a folder fails (EISDIR): the error comes back and nothing waits for ever.
        let folder = FileManager.default.temporaryDirectory.path
        let source = try SystemFile.openForReading(folder)
        var calls = 0
        #expect(throws: VaultError.self) {
            try HashingReader.read(source, hashingInto: try MasterKey.generate().contentHasher(), blockSize: 4096) { _ in calls += 1 }
        }
        #expect(calls == 0)
    }
}
