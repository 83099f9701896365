public import Foundation
import Crypto
import CryptoExtras

/// Writes the share bundle format (Docs/share-format.md): a key from PBKDF2-HMAC-SHA-256 over the passphrase, every
/// file AES-256-GCM in 1 MiB chunks whose nonce, index, last-chunk flag and the file's whole header are bound in,
/// so WebCrypto in any browser can open it and nothing can be reordered, cut or moved between files or bundles.
public struct BundleWriter {
    /// The header's magic.
    static let magic = Array("EVSHARE1".utf8)
    /// PBKDF2 iterations (OWASP 2023 for PBKDF2-HMAC-SHA-256).
    public static let iterations: UInt32 = 600_000
    /// Plaintext bytes per chunk.
    public static let chunkSize = 1 << 20

    /// Random per bundle.
    public let bundleID: [UInt8]
    let salt: [UInt8]
    let key: SymmetricKey
    let iterations: UInt32

    /// Derives the bundle's key (the slow step, once).
    public init(passphrase: String, iterations: UInt32 = BundleWriter.iterations) throws(DocumentError) {
        var random = SystemRandomNumberGenerator()
        salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
        bundleID = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
        self.iterations = iterations
        do {
            key = try KDF.Insecure.PBKDF2.deriveKey(
                from: Array(SharePassphrase.normalised(passphrase).utf8), salt: salt, using: .sha256, outputByteCount: 32,
                unsafeUncheckedRounds: Int(iterations))
        } catch {
            throw DocumentError("The bundle's key could not be derived: \(error).")
        }
    }

    /// A new file id.
    public static func fileID() -> [UInt8] {
        var random = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
    }

    /// `plaintext` sealed as one file of this bundle, under `fileID`.
    public func seal(_ plaintext: Data, fileID: [UInt8]) throws(DocumentError) -> Data {
        var random = SystemRandomNumberGenerator()
        let prefix = (0..<8).map { _ in UInt8.random(in: 0...255, using: &random) }
        var header = Self.magic + salt
        header += Self.bigEndian(iterations)
        header += bundleID + fileID + prefix
        header += Self.bigEndian(UInt32(Self.chunkSize))
        header += Self.bigEndian(UInt64(plaintext.count))
        var out = Data(header)
        out.reserveCapacity(header.count + plaintext.count + (plaintext.count / Self.chunkSize + 1) * 16)
        let count = max(1, (plaintext.count + Self.chunkSize - 1) / Self.chunkSize)
        for index in 0..<count {
            let start = index * Self.chunkSize
            let chunk = plaintext[plaintext.startIndex + start..<plaintext.startIndex + min(plaintext.count, start + Self.chunkSize)]
            let nonceBytes = prefix + Self.bigEndian(UInt32(index))
            let aad = header + Self.bigEndian(UInt32(index)) + [index == count - 1 ? 1 : 0]
            do {
                let sealed = try AES.GCM.seal(chunk, using: key, nonce: try AES.GCM.Nonce(data: nonceBytes), authenticating: aad)
                out.append(sealed.ciphertext)
                out.append(sealed.tag)
            } catch {
                throw DocumentError("A chunk could not be sealed: \(error).")
            }
        }
        return out
    }

    static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}

extension Array where Element == UInt8 {
    /// Lower-case hex.
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
