import Foundation
internal import Catalogue

/// The controlled vocabulary of observed responses, seeded from the engagement model guidance (seed 001, 3.4:
/// "subtle nuances of response") and extended by each school with `evidence vocab add`.
public enum Vocabulary {
    /// Responses every library starts with.
    public static let builtinResponses = [
        "gaze", "eye-movement", "pupil-dilation", "stilling", "breathing-change", "tensing", "relaxing",
        "posture-change", "facial-expression", "smiling", "vocalisation", "mouth-movement", "hand-movement",
        "foot-movement", "head-turn", "reaching", "touching", "grasping", "pointing", "switch-press",
        "turn-taking", "repeating-action", "anticipatory-movement",
    ]

    /// A term as stored: lower case, words joined by hyphens ("Eye movement" → "eye-movement").
    public static func normalise(_ term: String) -> String {
        term.lowercased()
            .split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "/" || $0 == "-" || $0 == "\t" })
            .joined(separator: "-")
    }
}

extension Vocabulary {
    /// Checks responses against the vocabulary and returns their stored forms.
    static func validated(_ responses: [String], known: Set<String>) throws(EvidenceError) -> [String] {
        var result: [String] = []
        for response in responses {
            let stored = known.contains(response) ? response : normalise(response)
            guard known.contains(stored) else {
                throw EvidenceError(
                    .usage, "Unknown response \"\(response)\".", field: Field("response"), value: response,
                    remedy: .addVocabulary(term: response))
            }
            if !result.contains(stored) { result.append(stored) }
        }
        return result
    }
}

extension Library {
    /// Every response term, built-in and added.
    public func responseTerms() throws(EvidenceError) -> [String] {
        do {
            let added = try catalogue.read { store in try store.terms(.response) }
            return Vocabulary.builtinResponses + added.filter { !Vocabulary.builtinResponses.contains($0) }
        } catch {
            throw EvidenceError.from(error)
        }
    }
}

/// Adds a school's own terms to the vocabulary.
public struct VocabularyEditor: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// Adds a school's own response term; returns the stored form.
    @discardableResult
    public func addResponseTerm(_ term: String) throws(EvidenceError) -> String {
        let stored = Vocabulary.normalise(term)
        guard !stored.isEmpty, stored.count <= 60 else {
            throw EvidenceError(.usage, "A response term needs 1 to 60 characters.", field: Field("term"), value: term)
        }
        do {
            try catalogue.write { store in
                try store.addTerm(stored, kind: .response)
                try store.appendAudit(session.auditDraft("vocab-add", detail: "response=\(stored)"))
            }
        } catch {
            throw EvidenceError.from(error)
        }
        return stored
    }
}
