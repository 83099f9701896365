internal import CSodium
public import Foundation

/// Streaming keyed BLAKE2b-256 (`crypto_generichash`), the only content hash the vault ever stores.
///
/// The hash state lives in a 64-byte-aligned allocation (libsodium's state type demands it) that is wiped on
/// `deinit`, since it is derived from a secret key.
public final class KeyedHasher {
    private let state: UnsafeMutableRawPointer
    private let stateSize: Int
    /// Bytes of output.
    public static let outputBytes = 32

    init(key: SecretKey) throws(VaultError) {
        try requireSodium()
        stateSize = crypto_generichash_statebytes()
        state = UnsafeMutableRawPointer.allocate(byteCount: stateSize, alignment: 64)
        let rc = csodium_generichash_init(state, key.bytes, key.count, Self.outputBytes)
        try check(rc, "crypto_generichash_init", code: .cryptoUnavailable, "Could not start hashing.")
    }

    deinit {
        sodium_memzero(state, stateSize)
        state.deallocate()
    }

    /// Feeds bytes.
    ///
    /// BLAKE2b's update cannot fail on a valid state (libsodium always returns 0); the code is asserted in debug.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let rc = csodium_generichash_update(state, base.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
        assert(rc == 0)
    }

    /// Feeds bytes.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The 32-byte keyed digest of `bytes` in one call, without a streaming state: the row MAC's path, taken once
    /// for every catalogue row read.
    static func digest(key: SecretKey, _ bytes: [UInt8]) -> Data {
        var out = Data(count: outputBytes)
        let rc = out.withUnsafeMutableBytes { digest in
            bytes.withUnsafeBufferPointer { input in
                crypto_generichash(
                    digest.baseAddress!.assumingMemoryBound(to: UInt8.self), outputBytes, input.baseAddress, UInt64(input.count),
                    key.bytes, key.count)
            }
        }
        assert(rc == 0)
        return out
    }

    /// The 32-byte digest; the hasher must not be used afterwards.
    public func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.outputBytes)
        let rc = out.withUnsafeMutableBytes { csodium_generichash_final(state, pointer($0), Self.outputBytes) }
        assert(rc == 0)
        return out
    }
}
