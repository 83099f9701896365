internal import CSodium

/// XChaCha20-Poly1305 (IETF) for small messages: wrapped keys and sealed fields.
///
/// The sealed form is `nonce (24 bytes) ‖ ciphertext ‖ tag (16 bytes)` with a random nonce.
enum AEAD {
    /// Seals `plaintext` under `key`, binding `associatedData`.
    static func seal(
        _ plaintext: UnsafeRawBufferPointer,
        key: SecretKey,
        associatedData: [UInt8]
    ) throws(VaultError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Sizes.aeadNonce + plaintext.count + Sizes.aeadTag)
        let nonceCount = Sizes.aeadNonce
        let rc = output.withUnsafeMutableBufferPointer { out -> Int32 in
            guard let base = out.baseAddress else { return -1 }
            randombytes_buf(base, nonceCount)
            var written: UInt64 = 0
            return associatedData.withUnsafeBufferPointer { ad in
                crypto_aead_xchacha20poly1305_ietf_encrypt(
                    base + nonceCount,
                    &written,
                    plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    UInt64(plaintext.count),
                    ad.baseAddress,
                    UInt64(ad.count),
                    nil,
                    base,
                    key.bytes
                )
            }
        }
        try check(rc, "crypto_aead_xchacha20poly1305_ietf_encrypt", code: .cryptoUnavailable, "Encryption failed.")
        return output
    }

    /// Opens a sealed message into `output` (which must hold `sealed.count - 40` bytes); throws if it was altered.
    static func open(
        _ sealed: [UInt8],
        key: SecretKey,
        associatedData: [UInt8],
        into output: UnsafeMutableRawBufferPointer,
        what: @autoclosure () -> String
    ) throws(VaultError) {
        guard sealed.count >= Sizes.aeadNonce + Sizes.aeadTag,
            output.count == sealed.count - Sizes.aeadNonce - Sizes.aeadTag
        else {
            throw VaultError(code: .integrityFailure, message: "\(what()) is damaged (wrong length).", integrity: .truncated)
        }
        let nonceCount = Sizes.aeadNonce
        let rc = sealed.withUnsafeBufferPointer { input -> Int32 in
            guard let base = input.baseAddress else { return -1 }
            var written: UInt64 = 0
            return associatedData.withUnsafeBufferPointer { ad in
                crypto_aead_xchacha20poly1305_ietf_decrypt(
                    output.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    &written,
                    nil,
                    base + nonceCount,
                    UInt64(input.count - nonceCount),
                    ad.baseAddress,
                    UInt64(ad.count),
                    base,
                    key.bytes
                )
            }
        }
        try check(
            rc,
            "crypto_aead_xchacha20poly1305_ietf_decrypt",
            code: .integrityFailure,
            integrity: .authentication,
            "\(what()) failed its integrity check: it was altered or belongs to another library."
        )
    }

    /// Opens a sealed key straight into guarded memory.
    static func openKey(
        _ sealed: [UInt8],
        key: SecretKey,
        associatedData: [UInt8],
        what: @autoclosure () -> String
    ) throws(VaultError) -> SecretKey {
        let count = max(sealed.count - Sizes.aeadNonce - Sizes.aeadTag, 0)
        guard count > 0 else {
            throw VaultError(code: .integrityFailure, message: "\(what()) is damaged (wrong length).", integrity: .truncated)
        }
        let label = what()
        return try SecretKey.filled(count: count) { (target) throws(VaultError) in
            try open(sealed, key: key, associatedData: associatedData, into: target, what: label)
        }
    }
}
