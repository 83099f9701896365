import Foundation

/// An error from the SQLite catalogue; the GRDB `DatabaseError` (with SQL, never arguments) is the ``cause``.
public struct CatalogueError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// A short, stable name.
        public var description: String { name }
        /// The catalogue file could not be opened or migrated.
        public static let unavailable = Code("unavailable")
        /// A read or write failed.
        public static let queryFailed = Code("queryFailed")
        /// No row has that id.
        public static let notFound = Code("notFound")
        /// The disk (or quota) is full.
        public static let diskFull = Code("diskFull")
        /// The audit chain is broken.
        public static let auditBroken = Code("auditBroken")
        /// A row with the same unique value (a handle, a UPN, a content hash, an import key) exists.
        public static let duplicate = Code("duplicate")
        /// A stored row holds a value this version cannot read (an unknown purpose, kind or area bit): an
        /// integrity failure, never read as a default.
        public static let corruptRow = Code("corruptRow")
    }

    /// What kind of failure this is.
    public var code: Code
    /// What happened and what to do.
    public var message: String
    /// The underlying failure.
    public var cause: (any Error & Sendable)?

    /// Makes an error.
    public init(code: Code, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The message, with the cause in brackets.
    public var description: String {
        if let cause { return "\(message) [\(cause)]" }
        return message
    }
}
