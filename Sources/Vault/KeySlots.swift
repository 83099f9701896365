public import Foundation
internal import CSodium

/// How much work Argon2id does per unlock; stored in each slot, so a slot opens with the parameters it was made with.
public enum KeyDerivationStrength: String, Sendable, Codable, CaseIterable {
    /// libsodium's INTERACTIVE limits (64 MiB, ~0.1 s): for tests and throwaway libraries.
    case interactive
    /// libsodium's MODERATE limits (256 MiB, ~0.5–1 s): the default.
    case moderate
    /// libsodium's SENSITIVE limits (1 GiB, several seconds).
    case sensitive

    var limits: (ops: UInt64, mem: Int) {
        switch self {
        case .interactive:
            (UInt64(crypto_pwhash_opslimit_interactive()), crypto_pwhash_memlimit_interactive())
        case .moderate:
            (UInt64(crypto_pwhash_opslimit_moderate()), crypto_pwhash_memlimit_moderate())
        case .sensitive:
            (UInt64(crypto_pwhash_opslimit_sensitive()), crypto_pwhash_memlimit_sensitive())
        }
    }
}

/// The key slots of a library (`keys/slots.json`): the master key wrapped once per passphrase and once per recovery
/// key. Adding or removing a slot never re-encrypts media.
///
/// A passphrase slot: key-encryption key = Argon2id13(passphrase, salt, opslimit, memlimit) → XChaCha20-Poly1305 of
/// the 32-byte master key with associated data `"evidence.slot.v1:" ‖ slot id`. A recovery slot: the recovery key is
/// 32 random bytes (shown once, as 64 hex digits in groups of eight); its key-encryption key is keyed BLAKE2b-256 of
/// the recovery key with the salt as key — Argon2 adds nothing to 256 bits of entropy.
public struct KeySlots: Codable, Sendable {
    /// One wrapped copy of the master key.
    public struct Slot: Codable, Sendable {
        /// `passphrase` or `recovery`.
        public var kind: String
        /// Random slot id.
        public var id: String
        /// A label for people ("initial", "recovery", a staff member's name is *not* stored).
        public var label: String
        /// Base64 salt.
        public var salt: String
        /// Argon2id operations limit (passphrase slots).
        public var opsLimit: UInt64
        /// Argon2id memory limit in bytes (passphrase slots).
        public var memLimit: Int
        /// Base64 of nonce ‖ wrapped master key ‖ tag.
        public var wrappedKey: String
        /// When it was made.
        public var created: Date
    }

    /// Format version of the slot file.
    public var version = 1
    /// The slots.
    public var slots: [Slot]

    /// Makes the first passphrase slot and a recovery slot for `master`; returns them with the recovery key text.
    public static func create(
        master: MasterKey,
        passphrase: String,
        strength: KeyDerivationStrength
    ) throws(VaultError) -> (slots: KeySlots, recoveryKey: String) {
        let first = try passphraseSlot(master: master, passphrase: passphrase, strength: strength, label: "initial")
        let recovery = try SecretKey.random(count: 32)
        let recoverySlot = try recoveryKeySlot(master: master, recovery: recovery)
        let text = recovery.withUnsafeBytes { formatRecoveryKey($0) }
        return (KeySlots(slots: [first, recoverySlot]), text)
    }

    /// Tries every slot; a recovery-key-shaped secret tries the recovery slots, anything else the passphrase slots.
    public func unlock(with secret: String) throws(VaultError) -> MasterKey {
        if let recovery = try Self.parseRecoveryKey(secret) {
            for slot in slots where slot.kind == "recovery" {
                let kek = try Self.recoveryKEK(recovery: recovery, salt: Self.decode(slot.salt))
                if let key = try? Self.open(slot, kek: kek) { return try MasterKey(secret: key) }
            }
        }
        for slot in slots where slot.kind == "passphrase" {
            let kek = try Self.passphraseKEK(
                passphrase: secret,
                salt: Self.decode(slot.salt),
                ops: slot.opsLimit,
                mem: slot.memLimit
            )
            if let key = try? Self.open(slot, kek: kek) { return try MasterKey(secret: key) }
        }
        throw VaultError(
            code: .wrongPassphrase,
            message: "That passphrase does not unlock this library. Check it (and the keyboard layout) and try again, or use the recovery key."
        )
    }

    /// Reads `keys/slots.json`.
    public static func load(from url: URL) throws(VaultError) -> KeySlots {
        do {
            let data = try Data(contentsOf: url)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(KeySlots.self, from: data)
        } catch {
            throw VaultError(
                code: .keySlotsUnreadable,
                message: "The library's key file \(url.path) is missing or damaged. Is --library pointing at an evidence library? Restore keys/ from a backup.",
                cause: VaultError.Underlying(error)
            )
        }
    }

    /// Writes the slots atomically (temp file, fsync, rename, fsync directory).
    public func save(to url: URL) throws(VaultError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data: Data
        do { data = try encoder.encode(self) } catch {
            throw VaultError(code: .invalidArgument, message: "Could not encode key slots.", cause: VaultError.Underlying(error))
        }
        let directory = url.deletingLastPathComponent().path
        let temp = url.path + ".tmp"
        try SystemFile.remove(temp)
        let file = try SystemFile.createExclusive(temp)
        try withBytes([UInt8](data)) { (raw) throws(VaultError) in try file.write(raw) }
        try file.sync()
        try SystemFile.rename(temp, to: url.path)
        try SystemFile.syncDirectory(directory)
    }

    // MARK: - Slot construction

    private static func passphraseSlot(
        master: MasterKey,
        passphrase: String,
        strength: KeyDerivationStrength,
        label: String
    ) throws(VaultError) -> Slot {
        let salt = randomBytes(Sizes.saltBytes)
        let (ops, mem) = strength.limits
        let kek = try passphraseKEK(passphrase: passphrase, salt: salt, ops: ops, mem: mem)
        let id = UUID().uuidString.lowercased()
        let wrapped = try master.secret.withUnsafeBytes { (raw) throws(VaultError) in
            try AEAD.seal(raw, key: kek, associatedData: Array("evidence.slot.v1:\(id)".utf8))
        }
        return Slot(
            kind: "passphrase",
            id: id,
            label: label,
            salt: Data(salt).base64EncodedString(),
            opsLimit: ops,
            memLimit: mem,
            wrappedKey: Data(wrapped).base64EncodedString(),
            created: Date()
        )
    }

    private static func recoveryKeySlot(master: MasterKey, recovery: SecretKey) throws(VaultError) -> Slot {
        let salt = randomBytes(32)
        let kek = try recoveryKEK(recovery: recovery, salt: salt)
        let id = UUID().uuidString.lowercased()
        let wrapped = try master.secret.withUnsafeBytes { (raw) throws(VaultError) in
            try AEAD.seal(raw, key: kek, associatedData: Array("evidence.slot.v1:\(id)".utf8))
        }
        return Slot(
            kind: "recovery",
            id: id,
            label: "recovery",
            salt: Data(salt).base64EncodedString(),
            opsLimit: 0,
            memLimit: 0,
            wrappedKey: Data(wrapped).base64EncodedString(),
            created: Date()
        )
    }

    private static func open(_ slot: Slot, kek: SecretKey) throws(VaultError) -> SecretKey {
        try AEAD.openKey(
            decode(slot.wrappedKey),
            key: kek,
            associatedData: Array("evidence.slot.v1:\(slot.id)".utf8),
            what: "Key slot \(slot.id)"
        )
    }

    private static func passphraseKEK(
        passphrase: String,
        salt: [UInt8],
        ops: UInt64,
        mem: Int
    ) throws(VaultError) -> SecretKey {
        try requireSodium()
        var secret = Array(passphrase.utf8)
        defer { wipe(&secret) }
        return try SecretKey.filled(count: 32) { (out) throws(VaultError) in
            let rc = secret.withUnsafeBufferPointer { pw in
                pw.withMemoryRebound(to: CChar.self) { cpw in
                    crypto_pwhash(
                        pointer(out),
                        32,
                        cpw.baseAddress ?? UnsafeRawPointer(pointer(UnsafeRawBufferPointer(start: nil, count: 0)))
                            .assumingMemoryBound(to: CChar.self),
                        UInt64(cpw.count),
                        salt,
                        ops,
                        mem,
                        crypto_pwhash_ALG_ARGON2ID13
                    )
                }
            }
            try check(
                rc,
                "crypto_pwhash",
                code: .cryptoUnavailable,
                "Not enough memory to check the passphrase (Argon2id needs \(mem >> 20) MiB). Close other programs and try again."
            )
        }
    }

    private static func recoveryKEK(recovery: SecretKey, salt: [UInt8]) throws(VaultError) -> SecretKey {
        try SecretKey.filled(count: 32) { (out) throws(VaultError) in
            let rc = crypto_generichash(
                pointer(out),
                32,
                recovery.bytes,
                UInt64(recovery.count),
                salt,
                salt.count
            )
            try check(rc, "crypto_generichash", code: .cryptoUnavailable, "Could not derive the recovery key.")
        }
    }

    // MARK: - Recovery key text

    /// 64 hex digits in eight groups of eight, separated by dashes.
    static func formatRecoveryKey(_ bytes: UnsafeRawBufferPointer) -> String {
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        return stride(from: 0, to: hex.count, by: 8).map { start -> String in
            let a = hex.index(hex.startIndex, offsetBy: start)
            return String(hex[a..<hex.index(a, offsetBy: 8)])
        }.joined(separator: "-")
    }

    /// The recovery key's bytes if `text` has its shape (dashes and spaces ignored), else nil.
    static func parseRecoveryKey(_ text: String) throws(VaultError) -> SecretKey? {
        let digits = text.lowercased().filter { $0 != "-" && $0 != " " }
        guard digits.count == 64, digits.allSatisfy({ $0.isHexDigit }) else { return nil }
        var bytes = [UInt8](repeating: 0, count: 32)
        defer { wipe(&bytes) }
        var index = digits.startIndex
        for i in 0..<32 {
            let next = digits.index(index, offsetBy: 2)
            bytes[i] = UInt8(digits[index..<next], radix: 16) ?? 0
            index = next
        }
        return try withBytes(bytes) { (raw) throws(VaultError) in try SecretKey.copying(raw) }
    }

    private static func decode(_ base64: String) throws(VaultError) -> [UInt8] {
        guard let data = Data(base64Encoded: base64) else {
            throw VaultError(code: .keySlotsUnreadable, message: "The library's key file is damaged (bad base64).")
        }
        return [UInt8](data)
    }
}
