internal import CSodium

/// Seals and opens the chunks of one blob: the nonce and associated-data rules of ``BlobHeader``.
struct ChunkCipher {
    let header: BlobHeader
    let key: SecretKey
    private let headerDigest: [UInt8]

    init(header: BlobHeader, key: SecretKey) {
        self.header = header
        self.key = key
        headerDigest = header.digest()
    }

    private func nonce(_ index: Int64) -> [UInt8] {
        header.noncePrefix + le(UInt64(index))
    }

    private func associatedData(_ index: Int64) -> [UInt8] {
        headerDigest + le(UInt64(index)) + [index == header.chunkCount - 1 ? 1 : 0]
    }

    /// Seals `plaintext` as chunk `index` into `output` (`plaintext.count + 16` bytes).
    func seal(
        _ plaintext: UnsafeRawBufferPointer,
        index: Int64,
        into output: UnsafeMutableRawBufferPointer
    ) throws(VaultError) {
        let nonce = nonce(index)
        let ad = associatedData(index)
        var written: UInt64 = 0
        let rc = crypto_aead_xchacha20poly1305_ietf_encrypt(
            pointer(output),
            &written,
            plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self),
            UInt64(plaintext.count),
            ad,
            UInt64(ad.count),
            nil,
            nonce,
            key.bytes
        )
        try check(rc, "crypto_aead_xchacha20poly1305_ietf_encrypt", code: .cryptoUnavailable, "Encryption failed.")
    }

    /// Opens sealed chunk `index` into `output`; throws naming `name` if it does not authenticate.
    func open(
        _ sealed: UnsafeRawBufferPointer,
        index: Int64,
        into output: UnsafeMutableRawBufferPointer,
        name: String
    ) throws(VaultError) {
        let nonce = nonce(index)
        let ad = associatedData(index)
        var written: UInt64 = 0
        let rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
            pointer(output),
            &written,
            nil,
            pointer(sealed),
            UInt64(sealed.count),
            ad,
            UInt64(ad.count),
            nonce,
            key.bytes
        )
        try check(
            rc,
            "crypto_aead_xchacha20poly1305_ietf_decrypt",
            code: .integrityFailure,
            integrity: .authentication,
            "\(name) failed its integrity check at chunk \(index): the stored file was altered, truncated or swapped. Run `evidence verify --read-data` and restore it from a backup."
        )
    }
}
