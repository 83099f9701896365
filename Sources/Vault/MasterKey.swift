public import Foundation

/// The library's master key and the purpose-bound keys derived from it.
///
/// Nothing is encrypted with the master key directly: each purpose has its own sub-key
/// (`crypto_kdf_derive_from_key`), so a future change to one purpose never weakens another.
public final class MasterKey: Sendable {
    let secret: SecretKey
    let wrappingKey: SecretKey
    let fieldKey: SecretKey
    let contentHashKey: SecretKey
    let sourceIdentityKey: SecretKey
    let auditKey: SecretKey
    let lookupKey: SecretKey
    let rowKey: SecretKey

    /// Wraps a master key and derives its sub-keys.
    init(secret: SecretKey) throws(VaultError) {
        self.secret = secret
        wrappingKey = try secret.deriveSubkey(id: 1, context: "evdwrap1")
        fieldKey = try secret.deriveSubkey(id: 2, context: "evdseal1")
        contentHashKey = try secret.deriveSubkey(id: 3, context: "evdhash1")
        sourceIdentityKey = try secret.deriveSubkey(id: 4, context: "evdsrc01")
        auditKey = try secret.deriveSubkey(id: 5, context: "evdaudit")
        lookupKey = try secret.deriveSubkey(id: 6, context: "evdlook1")
        rowKey = try secret.deriveSubkey(id: 7, context: "evdrow01")
    }

    /// Keyed BLAKE2b-256 of a row's canonical encoding: a catalogue row changed, swapped or forged without the key
    /// no longer authenticates.
    public func rowMAC(_ canonical: [UInt8]) -> Data {
        KeyedHasher.digest(key: rowKey, canonical)
    }

    /// A master key handed over by the session key agent (`evidence unlock`); the caller checks it against the
    /// library before trusting it.
    public static func fromAgent(_ bytes: UnsafeRawBufferPointer) throws(VaultError) -> MasterKey {
        guard bytes.count == 32 else {
            throw VaultError(code: .keySlotsUnreadable, message: "The key agent sent a key of the wrong length.")
        }
        return try MasterKey(secret: SecretKey.copying(bytes))
    }

    /// Lends the raw master key, only so `evidence unlock` can hand it to its agent process through a pipe.
    public func withRawKeyForAgent<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        secret.withUnsafeBytes { bytes in body(bytes) }
    }

    /// A brand-new random master key (only `init` of a library calls this).
    public static func generate() throws(VaultError) -> MasterKey {
        try MasterKey(secret: SecretKey.random(count: 32))
    }

    /// Makes a fresh data key for one asset and returns it with its wrapped (storable) form.
    public func makeDataKey(assetID: UUID) throws(VaultError) -> (key: SecretKey, wrapped: [UInt8]) {
        let key = try SecretKey.random(count: Sizes.aeadKey)
        let wrapped = try key.withUnsafeBytes { (bytes) throws(VaultError) -> [UInt8] in
            try AEAD.seal(bytes, key: wrappingKey, associatedData: Self.dataKeyContext(assetID))
        }
        return (key, wrapped)
    }

    /// Unwraps an asset's data key; fails if the wrapped key was altered or belongs to another asset.
    public func unwrapDataKey(_ wrapped: [UInt8], assetID: UUID) throws(VaultError) -> SecretKey {
        try AEAD.openKey(
            wrapped,
            key: wrappingKey,
            associatedData: Self.dataKeyContext(assetID),
            what: "The key of asset \(assetID.uuidString.lowercased())"
        )
    }

    private static func dataKeyContext(_ assetID: UUID) -> [UInt8] {
        Array("evidence.dek.v1".utf8) + assetID.bytes
    }

    /// A keyed BLAKE2b hasher for content (duplicate detection): equal content gives equal hashes only in this library.
    public func contentHasher() throws(VaultError) -> KeyedHasher {
        try KeyedHasher(key: contentHashKey)
    }

    /// A keyed BLAKE2b hasher for source identities (path on the card, size, mtime).
    public func sourceIdentityHasher() throws(VaultError) -> KeyedHasher {
        try KeyedHasher(key: sourceIdentityKey)
    }

    /// Keyed BLAKE2b-256 of `previous ‖ fields` for the audit hash chain: without the key, an edited row cannot be
    /// re-chained.
    public func auditHash(previous: Data, fields: String) -> Data {
        guard let hasher = try? KeyedHasher(key: auditKey) else { return Data() }
        hasher.update([UInt8](previous))
        hasher.update(Array(fields.utf8))
        return Data(hasher.finalize())
    }

    /// A keyed BLAKE2b-256 of a normalised personal value (a handle, a UPN), so the catalogue can enforce uniqueness
    /// and find a row by it without storing the value: the same text gives the same tag only in this library.
    public func lookupTag(_ text: String, context: String) -> Data {
        guard let hasher = try? KeyedHasher(key: lookupKey) else { return Data() }
        var bytes = Array("\(context)\u{1F}\(text)".utf8)
        defer { wipe(&bytes) }
        hasher.update(bytes)
        return Data(hasher.finalize())
    }

    /// Seals one personal text field; `context` names the table and column so a value cannot be moved between them.
    public func seal(_ text: String, context: String) throws(VaultError) -> Data {
        var bytes = Array(text.utf8)
        defer { wipe(&bytes) }
        let sealed = try withBytes(bytes) { (raw) throws(VaultError) in
            try AEAD.seal(raw, key: fieldKey, associatedData: Array("evidence.field.v1:\(context)".utf8))
        }
        return Data(sealed)
    }

    /// Seals a small binary value (a thumbnail) the same way as a text field.
    public func seal(bytes: [UInt8], context: String) throws(VaultError) -> Data {
        let sealed = try withBytes(bytes) { (raw) throws(VaultError) in
            try AEAD.seal(raw, key: fieldKey, associatedData: Array("evidence.field.v1:\(context)".utf8))
        }
        return Data(sealed)
    }

    /// Opens a value sealed by ``seal(bytes:context:)``.
    public func open(bytes sealed: Data, context: String) throws(VaultError) -> [UInt8] {
        let input = [UInt8](sealed)
        var output = [UInt8](repeating: 0, count: max(input.count - Sizes.aeadNonce - Sizes.aeadTag, 0))
        try withMutableBytes(&output) { (out) throws(VaultError) in
            try AEAD.open(
                input, key: fieldKey, associatedData: Array("evidence.field.v1:\(context)".utf8), into: out,
                what: "A sealed \(context) value")
        }
        return output
    }

    /// Opens a field sealed by ``seal(_:context:)`` with the same `context`.
    public func open(_ sealed: Data, context: String) throws(VaultError) -> String {
        let input = [UInt8](sealed)
        var output = [UInt8](repeating: 0, count: max(input.count - Sizes.aeadNonce - Sizes.aeadTag, 0))
        defer { wipe(&output) }
        try withMutableBytes(&output) { (out) throws(VaultError) in
            try AEAD.open(
                input,
                key: fieldKey,
                associatedData: Array("evidence.field.v1:\(context)".utf8),
                into: out,
                what: "A sealed \(context) value"
            )
        }
        return String(decoding: output, as: UTF8.self)
    }
}

extension UUID {
    /// The sixteen bytes of the UUID.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: uuid) { Array($0) }
    }

    /// A UUID from sixteen bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        let b = Array(bytes)
        self.init(
            uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
        )
    }
}
