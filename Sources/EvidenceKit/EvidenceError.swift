public import Catalogue
public import Foundation
public import Media
public import Vault

/// An error from a workflow; the CLI turns ``category`` into an exit code.
public struct EvidenceError: Error, Sendable, CustomStringConvertible {
    /// The broad class of failure that decides the exit code.
    public enum Category: Sendable {
        /// Some inputs failed (exit 1).
        case inputFailed
        /// The command was used wrongly (exit 2).
        case usage
        /// Wrong passphrase or locked library (exit 3).
        case locked
        /// Stored data failed authentication or the vault and catalogue disagree (exit 4).
        case integrity
        /// Anything else (exit 1).
        case failure
    }

    /// The broad class of failure.
    public var category: Category
    /// What happened and what to do.
    public var message: String
    /// The underlying failure.
    public var cause: (any Error & Sendable)?

    /// Makes an error.
    public init(_ category: Category, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.category = category
        self.message = message
        self.cause = cause
    }

    /// The message, with the cause in brackets.
    public var description: String {
        if let cause { return "\(message) [\(cause)]" }
        return message
    }

    /// Whether the failure was a full disk (or quota, or file-size limit) on the library's side.
    public var isDiskFull: Bool {
        if let vault = cause as? VaultError { return vault.code == .diskFull }
        if let catalogue = cause as? CatalogueError { return catalogue.code == .diskFull }
        return false
    }

    /// Lifts a module error into an ``EvidenceError`` with the right category.
    public static func from(_ error: any Error) -> EvidenceError {
        switch error {
        case let error as EvidenceError:
            return error
        case let error as VaultError:
            let category: Category =
                switch error.code {
                case .wrongPassphrase, .keySlotsUnreadable: .locked
                case .integrityFailure: .integrity
                default: .failure
                }
            return EvidenceError(category, error.message, cause: error)
        case let error as MediaError:
            return EvidenceError(error.code == .invalidRequest ? .usage : .failure, error.message, cause: error)
        case let error as CatalogueError:
            return EvidenceError(error.code == .notFound ? .usage : .failure, error.message, cause: error)
        default:
            return EvidenceError(.failure, "\(error)")
        }
    }
}
