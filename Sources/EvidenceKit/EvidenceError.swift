public import Catalogue
import Foundation
import Media
import Vault

/// An error from a workflow, as data: what failed, which input it concerns, and the way forward.
///
/// The ``message`` is plain language for a teacher and names no front end's controls: the CLI adds the flag for
/// ``field`` and phrases ``remedy`` as a command; a page shows the message beside the field and the remedy as a
/// link or a button.
public struct EvidenceError: Error, Sendable, CustomStringConvertible {
    /// The broad class of failure that decides the exit code.
    public enum Category: Sendable {
        /// Some inputs failed (exit 1).
        case inputFailed
        /// The request was wrong: a bad or ambiguous value (exit 2).
        case usage
        /// Wrong passphrase or locked library (exit 3).
        case locked
        /// Stored data failed authentication or the vault and catalogue disagree (exit 4).
        case integrity
        /// Consent does not allow this use (exit 5).
        case refusedByConsent
        /// Anything else (exit 1).
        case failure
    }

    /// The broad class of failure.
    public var category: Category
    /// What happened, in plain words (no option names, no commands).
    public var message: String
    /// The input the error concerns, if one.
    public var field: Field?
    /// The value that was refused, if one.
    public var value: String?
    /// What the person can do next, if there is something.
    public var remedy: Remedy?
    /// The underlying failure.
    public var cause: (any Error & Sendable)?

    /// Makes an error.
    public init(
        _ category: Category, _ message: String, field: Field? = nil, value: String? = nil, remedy: Remedy? = nil,
        cause: (any Error & Sendable)? = nil
    ) {
        self.category = category
        self.message = message
        self.field = field
        self.value = value
        self.remedy = remedy
        self.cause = cause
    }

    /// The message, with the cause in brackets.
    public var description: String {
        if let cause { return "\(message) [\(cause)]" }
        return message
    }

    /// The same error with the message prefixed (a file and line, say); field and remedy kept.
    public func prefixed(_ prefix: String) -> EvidenceError {
        var copy = self
        copy.message = "\(prefix): \(message)"
        return copy
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
            let category: Category =
                switch error.code {
                case .notFound, .duplicate: .usage
                case .corruptRow, .auditBroken: .integrity
                default: .failure
                }
            return EvidenceError(category, error.message, cause: error)
        default:
            return EvidenceError(.failure, "\(error)")
        }
    }
}

/// An input a request is made of: a front end shows it as an option (`--to`) or a form field ("To").
public struct Field: Hashable, Sendable, CustomStringConvertible {
    /// The input's name, lower case with hyphens (`to`, `with-staff`).
    public let name: String
    /// Whether it is a column of an imported file rather than an input of the request.
    public let isColumn: Bool

    /// An input of the request.
    public init(_ name: String) {
        self.name = name
        isColumn = false
    }

    /// A column of an imported file (roster, consent forms, annotations).
    public static func column(_ name: String) -> Field { Field(name: name, isColumn: true) }

    private init(name: String, isColumn: Bool) {
        self.name = name
        self.isColumn = isColumn
    }

    /// The name.
    public var description: String { name }
}

/// The way forward after an error, as data; each front end phrases it (a command, a link, a button).
public enum Remedy: Sendable, Equatable {
    /// See the assets in the library.
    case listAssets
    /// See the pupils on the roster.
    case listPupils
    /// See the staff list.
    case listStaff
    /// Add the member of staff (`handle`, if known).
    case addStaff(handle: String?)
    /// See a video's moments and observations.
    case listMoments
    /// See the vocabulary, or add the term.
    case addVocabulary(kind: VocabularyKind, term: String)
    /// Record the family's decision, if they have agreed.
    case recordConsent(pupil: String, purpose: ConsentPurpose, from: String)
    /// Record renewed consent if the family gives it again; otherwise the evidence is to be erased.
    case renewConsentOrErase(pupil: String, purpose: ConsentPurpose, from: String)
    /// Record the pupil's EHC outcomes.
    case recordOutcomes(pupil: String)
    /// Create a library at this folder, or choose an existing one.
    case createLibrary(path: String)
    /// Choose another folder for the new library.
    case chooseAnotherLibrary
    /// Check the whole vault, then restore from a backup.
    case verifyAndRestore
    /// Use the decrypted file or a poster frame instead (photos).
    case useCatOrThumbnail
    /// Name the video the annotation belongs to.
    case nameTheVideo
    /// Give the end of the range as well.
    case giveEnd
    /// Unlock the library (passphrase, file or agent).
    case givePassphrase
    /// Say who is acting (a handle from the staff list).
    case sayWhoIsActing
}
