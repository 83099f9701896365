internal import CSodium

/// libsodium is initialised exactly once, lazily and thread-safely, through a global `let`.
private let sodiumReady: Bool = sodium_init() >= 0

/// Throws unless libsodium is initialised.
func requireSodium() throws(VaultError) {
    guard sodiumReady else {
        throw VaultError(
            code: .cryptoUnavailable,
            message: "The encryption library (libsodium) could not start. Reinstall libsodium and try again."
        )
    }
}

/// Turns a libsodium return code into a ``VaultError``; every call into libsodium goes through here.
func check(
    _ rc: Int32,
    _ function: String,
    code: VaultError.Code,
    integrity: VaultError.Integrity? = nil,
    _ message: @autoclosure () -> String
) throws(VaultError) {
    guard rc == 0 else {
        throw VaultError(
            code: code,
            message: message(),
            cause: VaultError.CCallFailure(function: function, returnCode: rc),
            integrity: integrity
        )
    }
}

/// Sizes of the primitives the vault uses, read from libsodium rather than hard-coded.
enum Sizes {
    static let aeadKey = Int(crypto_aead_xchacha20poly1305_ietf_keybytes())
    static let aeadNonce = Int(crypto_aead_xchacha20poly1305_ietf_npubbytes())
    static let aeadTag = Int(crypto_aead_xchacha20poly1305_ietf_abytes())
    static let saltBytes = Int(crypto_pwhash_saltbytes())
}

/// Fills `buffer` with random bytes from libsodium.
func fillRandom(_ buffer: UnsafeMutableRawBufferPointer) {
    guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
    randombytes_buf(base, buffer.count)
}

/// Random bytes as an array (for salts, nonces and ids, never for keys).
func randomBytes(_ count: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { fillRandom($0) }
    return bytes
}

/// Wipes a buffer that held secret material.
func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
    guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
    sodium_memzero(base, buffer.count)
}

/// Wipes an array that held secret material (`sodium_memzero`, which the optimiser cannot remove).
public func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { wipe($0) }
}

/// A non-null pointer for libsodium's `nonnull` parameters, valid even for an empty buffer.
func pointer(_ buffer: UnsafeRawBufferPointer) -> UnsafePointer<UInt8> {
    if let base = buffer.baseAddress { return base.assumingMemoryBound(to: UInt8.self) }
    return emptyInput
}

/// A non-null pointer for libsodium's `nonnull` output parameters.
func pointer(_ buffer: UnsafeMutableRawBufferPointer) -> UnsafeMutablePointer<UInt8> {
    if let base = buffer.baseAddress { return base.assumingMemoryBound(to: UInt8.self) }
    return emptyOutput
}

/// Never written: libsodium reads or writes zero bytes through it.
nonisolated(unsafe) private let emptyOutput = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
nonisolated(unsafe) private let emptyInput = UnsafePointer(emptyOutput)

/// `Array.withUnsafeBytes` that keeps a typed `VaultError` (the standard one only `rethrows`).
func withBytes<R>(
    _ array: [UInt8],
    _ body: (UnsafeRawBufferPointer) throws(VaultError) -> R
) throws(VaultError) -> R {
    let result: Result<R, VaultError> = array.withUnsafeBytes { raw in
        Result { () throws(VaultError) -> R in try body(raw) }
    }
    return try result.get()
}

/// `Array.withUnsafeMutableBytes` that keeps a typed `VaultError`.
func withMutableBytes<R>(
    _ array: inout [UInt8],
    _ body: (UnsafeMutableRawBufferPointer) throws(VaultError) -> R
) throws(VaultError) -> R {
    let result: Result<R, VaultError> = array.withUnsafeMutableBytes { raw in
        Result { () throws(VaultError) -> R in try body(raw) }
    }
    return try result.get()
}
