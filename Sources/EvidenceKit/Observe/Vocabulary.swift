import Foundation
public import Catalogue
internal import Vault

/// The controlled vocabulary of observed responses, seeded from the engagement model guidance (seed 001, 3.4:
/// "subtle nuances of response") and extended by each school with `evidence vocab add`.
public enum Vocabulary {
    /// Responses every library starts with.
    public static let builtinResponses = [
        "gaze", "eye-movement", "pupil-dilation", "stilling", "breathing-change", "tensing", "relaxing",
        "posture-change", "facial-expression", "smiling", "vocalisation", "mouth-movement", "hand-movement",
        "foot-movement", "head-turn", "reaching", "touching", "grasping", "pointing", "switch-press",
        "turn-taking", "repeating-action", "anticipatory-movement",
        // What seed 001 (3.4, 5.2) also lists as ways a pupil responds or communicates.
        "gesture", "eye-pointing", "using-symbols", "using-switch-or-aac", "signing", "surprise", "excitement", "delight",
        "amazement", "fear", "stopping-an-activity", "changing-an-activity",
    ]

    /// States every library starts with (how the pupil was at the time: it changes how a response reads).
    public static let builtinStates = ["alert", "calm", "drowsy", "tired", "unsettled", "distressed", "after-seizure", "unwell"]

    /// The built-in terms of a kind.
    static func builtin(_ kind: VocabularyKind) -> [String] {
        switch kind {
        case .response: builtinResponses
        case .state: builtinStates
        }
    }

    /// A term as written by staff: lower case, words joined by hyphens ("Eye movement" → "eye-movement").
    public static func normalise(_ term: String) -> String {
        term.lowercased()
            .split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "/" || $0 == "-" || $0 == "\t" })
            .joined(separator: "-")
    }
}

/// One library's vocabulary of one kind (responses, states), opened: the built-in terms are stored as they are; a
/// school's own terms are free text, so the catalogue holds a keyed token for each (`~` and 24 hex digits) with the
/// text sealed to that token, and observations store the token.
struct SchoolVocabulary {
    /// Which vocabulary.
    let kind: VocabularyKind
    /// Every term, built-in first, then the school's own in the order they sort.
    let terms: [String]
    private let tokenOf: [String: String]
    private let termOf: [String: String]

    /// The prefix of a stored token; no built-in or normalised term starts with it.
    static let tokenPrefix: Character = "~"

    /// Opens the school's own terms (each bound to its token, so a moved or swapped term fails).
    init(_ kind: VocabularyKind, stored: [StoredTerm], master: MasterKey) throws(EvidenceError) {
        self.kind = kind
        var tokenOf: [String: String] = [:]
        var termOf: [String: String] = [:]
        for entry in stored {
            let term: String
            do { term = try master.open(entry.sealed, context: Self.sealContext(entry.token, kind)) } catch {
                throw EvidenceError(
                    .integrity,
                    "The vocabulary term \(entry.token) does not open: it was changed or moved outside evidence. Check the whole library and restore the catalogue from a backup.",
                    field: Field("vocabulary"), value: entry.token)
            }
            tokenOf[term] = entry.token
            termOf[entry.token] = term
        }
        self.tokenOf = tokenOf
        self.termOf = termOf
        let builtin = Vocabulary.builtin(kind)
        terms = builtin + tokenOf.keys.filter { !builtin.contains($0) }.sorted()
    }

    /// Checks terms as staff wrote them against the vocabulary; returns them normalised, each once.
    func validated(_ responses: [String]) throws(EvidenceError) -> [String] {
        let known = Set(terms)
        var result: [String] = []
        for response in responses {
            let term = known.contains(response) ? response : Vocabulary.normalise(response)
            guard known.contains(term) else {
                throw EvidenceError(
                    .usage, "Unknown \(kind.rawValue) \"\(response)\".", field: Field(kind.rawValue), value: response,
                    remedy: .addVocabulary(kind: kind, term: response))
            }
            if !result.contains(term) { result.append(term) }
        }
        return result
    }

    /// What the catalogue stores for a (validated) term.
    func stored(_ term: String) -> String { tokenOf[term] ?? term }

    /// The term a stored value stands for; a token with no term is an integrity error (its row was deleted).
    func term(_ stored: String) throws(EvidenceError) -> String {
        guard stored.first == Self.tokenPrefix else { return stored }
        guard let term = termOf[stored] else {
            throw EvidenceError(
                .integrity,
                "An observation uses the response \(stored), which is not in the vocabulary: the catalogue was changed outside evidence. Check the whole library and restore the catalogue from a backup.",
                field: Field("response"), value: stored)
        }
        return term
    }

    /// Seals a new term of the school's own: its token (a keyed tag, so equal terms give equal tokens only in this
    /// library) and its text bound to that token.
    static func store(_ term: String, kind: VocabularyKind = .response, master: MasterKey) throws -> StoredTerm {
        let tag = master.lookupTag(term, context: "vocabulary.\(kind.rawValue)")
        let token = String(tokenPrefix) + tag.prefix(12).map { String(format: "%02x", $0) }.joined()
        return StoredTerm(token: token, sealed: try master.seal(term, context: sealContext(token, kind)))
    }

    private static func sealContext(_ token: String, _ kind: VocabularyKind) -> String { "vocabulary.\(kind.rawValue):\(token)" }
}

extension Library {
    /// A vocabulary, built-in and added, opened.
    func vocabulary(_ kind: VocabularyKind) throws(EvidenceError) -> SchoolVocabulary {
        let stored: [StoredTerm]
        do { stored = try catalogue.read { store in try store.terms(kind) } } catch {
            throw EvidenceError.from(error)
        }
        return try SchoolVocabulary(kind, stored: stored, master: master)
    }

    /// Every term of a vocabulary, built-in and added.
    public func terms(_ kind: VocabularyKind) throws(EvidenceError) -> [String] {
        try vocabulary(kind).terms
    }
}

/// Adds a school's own terms to the vocabulary.
public struct VocabularyEditor: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// Adds a school's own term of a vocabulary (sealed); returns it as it will be written.
    @discardableResult
    public func addTerm(_ term: String, kind: VocabularyKind) throws(EvidenceError) -> String {
        let normal = Vocabulary.normalise(term)
        guard !normal.isEmpty, normal.count <= 60, normal.first != SchoolVocabulary.tokenPrefix else {
            throw EvidenceError(.usage, "A term needs 1 to 60 characters.", field: Field("term"), value: term)
        }
        guard !Vocabulary.builtin(kind).contains(normal) else { return normal }
        do {
            let stored = try SchoolVocabulary.store(normal, kind: kind, master: library.master)
            try catalogue.write { store in
                try store.addTerm(stored, kind: kind)
                var draft = session.auditDraft("vocab-add", detail: "\(kind.rawValue)=\(stored.token)")
                draft.noteSealed = try library.master.seal(normal, context: "audit.note")
                try store.appendAudit(draft)
            }
        } catch {
            throw EvidenceError.from(error)
        }
        return normal
    }
}
