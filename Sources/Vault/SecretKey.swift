internal import CSodium

/// Secret bytes in libsodium-guarded memory (`sodium_malloc`: guard pages, `mlock`, wiped on free).
///
/// A `final class` rather than a `~Copyable` struct: the master key and its sub-keys are read by several ingest
/// workers at once, and a class gives one owner with one `deinit` that every worker shares.
/// `@unchecked Sendable` because the bytes are written once in `init` and only read afterwards.
public final class SecretKey: @unchecked Sendable {
    private let pointer: UnsafeMutableRawPointer
    /// The number of secret bytes.
    public let count: Int

    private init(uninitialisedCount count: Int) throws(VaultError) {
        try requireSodium()
        guard count > 0, let pointer = sodium_malloc(count) else {
            throw VaultError(
                code: .cryptoUnavailable,
                message: "Could not reserve protected memory for a key. Close other programs and try again."
            )
        }
        self.pointer = pointer
        self.count = count
    }

    /// A fresh random key of `count` bytes.
    public static func random(count: Int = 32) throws(VaultError) -> SecretKey {
        let key = try SecretKey(uninitialisedCount: count)
        randombytes_buf(key.pointer, count)
        return key
    }

    /// A key whose bytes are written by `fill`, straight into guarded memory.
    static func filled(
        count: Int,
        _ fill: (UnsafeMutableRawBufferPointer) throws(VaultError) -> Void
    ) throws(VaultError) -> SecretKey {
        let key = try SecretKey(uninitialisedCount: count)
        try fill(UnsafeMutableRawBufferPointer(start: key.pointer, count: count))
        return key
    }

    /// A key copied from `bytes`; the caller wipes its own copy.
    public static func copying(_ bytes: UnsafeRawBufferPointer) throws(VaultError) -> SecretKey {
        try filled(count: bytes.count) { target in
            target.copyMemory(from: bytes)
        }
    }

    deinit {
        sodium_free(pointer)
    }

    /// Lends the key bytes for the duration of `body`; never copy them out.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// The pointer for libsodium calls inside this module.
    var bytes: UnsafePointer<UInt8> {
        UnsafePointer(pointer.assumingMemoryBound(to: UInt8.self))
    }

    /// Derives an independent sub-key with `crypto_kdf_derive_from_key`.
    ///
    /// - Parameters:
    ///   - id: the sub-key number.
    ///   - context: exactly eight ASCII characters naming the purpose.
    func deriveSubkey(id: UInt64, context: StaticString) throws(VaultError) -> SecretKey {
        precondition(context.utf8CodeUnitCount == 8, "a KDF context is eight bytes")
        let master = self
        return try SecretKey.filled(count: 32) { (target) throws(VaultError) in
            guard let base = target.baseAddress else { return }
            let rc = crypto_kdf_derive_from_key(
                base.assumingMemoryBound(to: UInt8.self),
                32,
                id,
                UnsafeRawPointer(context.utf8Start).assumingMemoryBound(to: CChar.self),
                master.bytes
            )
            try check(rc, "crypto_kdf_derive_from_key", code: .cryptoUnavailable, "Could not derive a key.")
        }
    }
}
