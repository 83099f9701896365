public import Foundation

/// A school's own vocabulary term as stored: a keyed token in place of the text, and the text sealed beside it.
public struct StoredTerm: Sendable, Equatable {
    /// What observations store in place of the term (`~` and hex of a keyed tag).
    public var token: String
    /// The term, sealed and bound to its token.
    public var sealed: Data
    /// Creates a stored term.
    public init(token: String, sealed: Data) {
        self.token = token
        self.sealed = sealed
    }
}

/// The school's own vocabulary.
public protocol VocabularyStore {
    /// Terms a school added, sorted by token.
    func terms(_ kind: VocabularyKind) throws -> [StoredTerm]
    /// Adds a term (once).
    func addTerm(_ term: StoredTerm, kind: VocabularyKind) throws
    /// Every distinct response value observations store (terms and tokens).
    func responsesInUse() throws -> [String]
}
