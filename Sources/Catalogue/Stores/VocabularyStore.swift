/// The school's own vocabulary.
public protocol VocabularyStore {
    /// Terms a school added, sorted.
    func terms(_ kind: VocabularyKind) throws -> [String]
    /// Adds a term (once).
    func addTerm(_ term: String, kind: VocabularyKind) throws
}
