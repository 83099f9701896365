import Foundation
import Vault

/// Reads a file front to back in 1 MiB blocks and hashes each block on a thread of its own while the caller's
/// `body` (sealing and writing it) runs on this one, so one file keeps two cores busy: keyed BLAKE2b and
/// XChaCha20-Poly1305 cost about the same per byte here, and a file that is hashed, then sealed, in one
/// thread runs at half the speed the two can reach side by side.
///
/// Memory: `depth` blocks, wiped before they are freed. The order is kept by two semaphores: a block is
/// handed to the hashing thread after it is read, and its buffer is read into again only after the hashing
/// thread has let it go (`body` has let it go already, since it runs in order on this thread).
final class HashingReader: @unchecked Sendable {
    // @unchecked: the buffers and lengths are handed between the two threads by `filled` and `free`, never
    // touched by both at once; the hasher is used only by the hashing thread until `finished` is signalled.
    private let blockSize: Int
    private let depth: Int
    private let buffers: UnsafeMutableRawBufferPointer
    private let lengths: UnsafeMutablePointer<Int>
    private let hasher: KeyedHasher
    private let filled = DispatchSemaphore(value: 0)
    private let free = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    private init(hasher: KeyedHasher, blockSize: Int, depth: Int) {
        self.hasher = hasher
        self.blockSize = blockSize
        self.depth = depth
        buffers = .allocate(byteCount: blockSize * depth, alignment: 64)
        lengths = .allocate(capacity: depth)
        lengths.initialize(repeating: 0, count: depth)
        // Counted up rather than created at `depth`: libdispatch traps when a semaphore is freed below the
        // value it was made with, which is where a failed read leaves this one.
        for _ in 0..<depth { free.signal() }
    }

    deinit {
        buffers.initializeMemory(as: UInt8.self, repeating: 0)
        buffers.deallocate()
        lengths.deallocate()
    }

    /// Reads `file` to its end: every block goes to `hasher` (on another thread) and to `body` (on this one).
    /// When `body` or a read throws, the hashing thread is stopped before the error is passed on.
    static func read(
        _ file: SystemFile,
        hashingInto hasher: KeyedHasher,
        blockSize: Int = 1 << 20,
        depth: Int = 2,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let reader = HashingReader(hasher: hasher, blockSize: blockSize, depth: depth)
        Thread.detachNewThread { reader.hashUntilEnd() }
        var next = 0  // the number of the next block handed to the hashing thread
        var holding = false  // whether this thread holds the free buffer for block `next`
        do {
            while true {
                reader.free.wait()
                holding = true
                let slot = next % depth
                let n = try file.read(into: reader.block(slot))
                reader.lengths[slot] = n
                reader.filled.signal()
                holding = false
                next += 1
                if n == 0 { break }
                try body(UnsafeRawBufferPointer(rebasing: reader.block(slot)[0..<n]))
            }
        } catch {
            // Hand over an empty block as the end, in a buffer the hashing thread has let go of.
            if !holding { reader.free.wait() }
            reader.lengths[next % depth] = 0
            reader.filled.signal()
            reader.finished.wait()
            throw error
        }
        reader.finished.wait()
    }

    private func block(_ slot: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: buffers[(slot * blockSize)..<((slot + 1) * blockSize)])
    }

    /// The hashing thread: blocks in order until one of length 0.
    private func hashUntilEnd() {
        var index = 0
        while true {
            filled.wait()
            let slot = index % depth
            let n = lengths[slot]
            if n == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: block(slot)[0..<n]))
            free.signal()
            index += 1
        }
        finished.signal()
    }
}
