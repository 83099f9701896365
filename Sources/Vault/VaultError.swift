import Foundation

/// An error from the vault: keys, key slots, sealed blobs and sealed fields.
///
/// ``message`` is written for the person at the keyboard: it says what happened, names the file where there is one,
/// and says what to do. The C function and its return code, or the `errno`, live in ``cause``.
public struct VaultError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// A short, stable name for logs and JSON.
        public var description: String { name }

        /// libsodium could not be initialised or allocate guarded memory.
        public static let cryptoUnavailable = Code("cryptoUnavailable")
        /// No key slot accepted the passphrase or recovery key.
        public static let wrongPassphrase = Code("wrongPassphrase")
        /// A blob, a wrapped key or a sealed field failed authentication, or its layout is wrong.
        public static let integrityFailure = Code("integrityFailure")
        /// The key slot file is missing or unreadable.
        public static let keySlotsUnreadable = Code("keySlotsUnreadable")
        /// A read, write, fsync or rename failed.
        public static let ioFailure = Code("ioFailure")
        /// The disk (or quota) is full.
        public static let diskFull = Code("diskFull")
        /// The input changed length while it was being read.
        public static let inputChanged = Code("inputChanged")
        /// A caller broke an API contract (a bug, not bad data).
        public static let invalidArgument = Code("invalidArgument")
    }

    /// The failure from a C call, kept for engineers.
    public struct CCallFailure: Error, Sendable, CustomStringConvertible {
        /// The C function that failed.
        public var function: String
        /// What it returned (or `errno` for system calls).
        public var returnCode: Int32
        /// `function() returned rc`.
        public var description: String { "\(function)() returned \(returnCode)" }
    }

    /// A failure described only by text (a Foundation error's description).
    public struct Underlying: Error, Sendable, CustomStringConvertible {
        /// The text.
        public var description: String
        /// Wraps any error's description.
        public init(_ error: any Error) { description = String(describing: error) }
    }

    /// Which check an ``Code/integrityFailure`` failed, so a caller (and a test) can tell them apart.
    public enum Integrity: String, Sendable {
        /// A chunk, wrapped key or sealed field did not authenticate: altered, or under another key.
        case authentication
        /// The blob ends before a chunk it promises.
        case truncated
        /// The blob's header is malformed (magic, version, lengths).
        case header
        /// The header names another asset: the file was swapped or renamed.
        case wrongAsset
        /// The file's size disagrees with its header.
        case wrongSize
    }

    /// What kind of failure this is.
    public var code: Code
    /// What happened and what to do, for a teacher.
    public var message: String
    /// The underlying failure, for engineers.
    public var cause: (any Error & Sendable)?
    /// For an integrity failure, which check failed.
    public var integrity: Integrity?

    /// Makes an error.
    public init(code: Code, message: String, cause: (any Error & Sendable)? = nil, integrity: Integrity? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
        self.integrity = integrity
    }

    /// The message, with the cause in brackets when there is one.
    public var description: String {
        if let cause { return "\(message) [\(cause)]" }
        return message
    }
}
