internal import Catalogue
import Foundation

/// How codes in an annotation file become observations: a small JSON file.
///
/// ```json
/// {
///   "pupil": "amira-k",
///   "subjects": { "Amira": "amira-k", "Leo": "leo-m" },
///   "codes": {
///     "reach": { "areas": ["exploration"], "responses": ["reaching"], "prompt": "gestural" },
///     "still": { "areas": ["anticipation"], "responses": ["stilling"] }
///   },
///   "ignore": ["Transcript"]
/// }
/// ```
/// `subjects` maps BORIS subjects and ELAN tier names to pupils; `pupil` is used for events without a subject (a BORIS
/// "No focal subject"), and for every subject when there is no `subjects` map (a single-pupil file). Subjects or tiers
/// in `ignore` are skipped. A value that is not in `codes` is, by `otherValues`:
/// - `"parse"` (the default): read as areas and responses separated by `;` or `,` (e.g. `exploration; reaching`);
/// - `"skip"`: left out (a transcription tier, say), counted as ignored;
/// - `"note"`: kept as the observation's note, its other fields from the code `"*"`.
public struct AnnotationMapping: Sendable, Codable {
    /// What one code means: any of an observation's fields (`areas`, `responses`, `prompt`, `setting`, …).
    public typealias Code = ObservationFields

    /// The default pupil.
    public var pupil: String?
    /// Subject or tier name → pupil.
    public var subjects: [String: String]?
    /// Code → meaning.
    public var codes: [String: Code]?
    /// Subjects or tiers to skip.
    public var ignore: [String]?
    /// What to do with a value that is not in `codes`.
    public var otherValues: OtherValues?

    /// What to do with a value that is not in `codes`.
    public enum OtherValues: String, Sendable, Codable {
        /// Read it as areas and responses (`exploration; reaching`).
        case parse
        /// Leave the event out.
        case skip
        /// Keep it as the note, with the fields of the code `"*"`.
        case note
    }

    /// An empty mapping (plain CSVs need none).
    public init() {}

    /// Reads a mapping file, with errors naming the file.
    public static func load(path: String) throws(EvidenceError) -> AnnotationMapping {
        let text = try TextFile.read(path, what: "mapping")
        do {
            return try JSONDecoder().decode(AnnotationMapping.self, from: Data(text.utf8))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.keyNotFound(_, context)
        {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw EvidenceError(.usage, "The mapping \(path) is not valid at \"\(field)\": \(context.debugDescription)")
        } catch {
            throw EvidenceError(.usage, "The mapping \(path) is not valid JSON: \(error.localizedDescription)")
        }
    }

    /// Whether events of this subject are skipped.
    func ignores(_ subject: String) -> Bool { ignore?.contains(subject) ?? false }

    /// Turns an event into a draft (nil when the mapping skips its value), or throws an error naming the file, place
    /// and field.
    func draft(for event: AnnotationEvent, path: String) throws(EvidenceError) -> ObservationDraft? {
        let subject = event.subject.first == " " || event.subject.last == " " ? event.subject.trimmingCharacters(in: .whitespaces) : event.subject
        let noSubject = subject.isEmpty || subject.lowercased() == "no focal subject"
        let resolved: String?
        if noSubject {
            resolved = pupil
        } else if event.extra["pupil"] != nil {
            resolved = subjects?[subject] ?? subject
        } else {
            resolved = subjects?[subject] ?? (subjects == nil ? pupil : nil)
        }
        guard let pupil = resolved else {
            throw EvidenceError(
                .usage,
                "\(path), \(event.location): no pupil for \(noSubject ? "events without a subject" : "subject/tier \"\(subject)\""). Add it under \"subjects\" (or set \"pupil\") in the mapping, or list it under \"ignore\"."
            )
        }
        var draft = ObservationDraft(pupil: pupil)
        let code = event.code.first == " " || event.code.last == " " ? event.code.trimmingCharacters(in: .whitespaces) : event.code
        if let meaning = codes?[code] {
            draft.fields = meaning
        } else if otherValues == .skip {
            return nil
        } else if otherValues == .note {
            guard let base = codes?["*"] else {
                throw EvidenceError(
                    .usage,
                    "\(path), \(event.location): \"\(code)\" is not under \"codes\", and \"otherValues\": \"note\" needs a \"*\" code saying what such a moment shows (its areas or responses).")
            }
            draft.fields = base
            if !code.isEmpty { draft.note = code }
        } else {
            for token in code.split(whereSeparator: { $0 == ";" || $0 == "," }).map({ $0.trimmingCharacters(in: .whitespaces) })
            where !token.isEmpty {
                if let area = try? EngagementArea(parsing: token) {
                    draft.areas.append(area.rawValue)
                } else {
                    draft.responses.append(token)
                }
            }
        }
        // Columns named like an observation's fields (a plain CSV, an export read back) add to or set them.
        for key in ObservationFields.Key.allCases {
            guard let value = event.extra[key.rawValue] ?? event.extra[key.rawValue.lowercased()], !value.isEmpty else {
                continue
            }
            var column = ObservationFields()
            do { try column.set(key, text: value) } catch { throw error.prefixed("\(path), \(event.location)") }
            switch key {
            case .areas: draft.areas += column.areas
            case .responses: draft.responses += column.responses
            case .withStaff: draft.withStaff += column.withStaff
            default: draft.fields = draft.fields.replacing([key], from: column)
            }
        }
        guard !draft.areas.isEmpty || !draft.responses.isEmpty else {
            throw EvidenceError(
                .usage, "\(path), \(event.location): \"\(code)\" names no area or response; add it under \"codes\" in the mapping.")
        }
        return draft
    }
}
