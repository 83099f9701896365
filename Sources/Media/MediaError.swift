import Foundation

/// An error from probing, decoding or cutting media.
///
/// ``message`` names the file and says what to do; the libavformat/libexif/libheif code lives in ``cause``.
public struct MediaError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// A short, stable name for JSON.
        public var description: String { name }

        /// The file is neither a photo nor a video format we handle (skipped, not failed).
        public static let notMedia = Code("notMedia")
        /// The file looks like media but is damaged or truncated.
        public static let corrupt = Code("corrupt")
        /// The file is empty.
        public static let empty = Code("empty")
        /// Reading the file failed.
        public static let unreadable = Code("unreadable")
        /// Decoding, encoding or muxing failed.
        public static let codecFailure = Code("codecFailure")
        /// A request that does not fit the media (a range past the end).
        public static let invalidRequest = Code("invalidRequest")
        /// A media library could not be loaded (not installed, or not the version built against).
        public static let libraryMissing = Code("libraryMissing")
    }

    /// The failure from a C library call.
    public struct LibraryFailure: Error, Sendable, CustomStringConvertible {
        /// The C function.
        public var function: String
        /// Its return code.
        public var returnCode: Int32
        /// The library's own text for the code.
        public var text: String
        /// `function() returned rc (text)`.
        public var description: String { "\(function)() returned \(returnCode) (\(text))" }
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

    /// The message, with the cause in brackets when there is one.
    public var description: String {
        if let cause { return "\(message) [\(cause)]" }
        return message
    }

    static func corrupt(_ name: String, _ why: String, cause: (any Error & Sendable)? = nil) -> MediaError {
        MediaError(
            code: .corrupt,
            message: "\(name) could not be read: \(why). Copy it again from the camera or tablet; if it is damaged there too, it cannot be recovered.",
            cause: cause
        )
    }
}
