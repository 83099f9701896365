import Foundation

/// What staff record about one pupil in a moment, written once and shared by every place that carries it: a draft
/// (``ObservationDraft``), an edit (``ObservationEdit``), a view (``ObservationView``), an annotation mapping's codes
/// and the CSV columns of find and of annotation import and export.
///
/// Values are as people type them; ``TaggingContext`` checks them (areas, vocabulary, closed sets, staff, outcome).
public struct ObservationFields: Sendable, Equatable, Codable {
    /// Engagement areas (names, any case).
    public var areas: [String] = []
    /// Observed responses from the vocabulary.
    public var responses: [String] = []
    /// `intentional`, `reflexive` or `unsure`.
    public var intent: String?
    /// Prompt level: `independent`, `gestural`, `verbal`, `modelled` or `physical`.
    public var prompt: String?
    /// The cue or stimulus: `visual`, `auditory`, `tactile`, `olfactory`, `gustatory`, `proprioceptive`, `none`.
    public var cues: [String] = []
    /// Whether the cue was `new` or `familiar` to the pupil.
    public var cueNovelty: String?
    /// The support: `person` (graded by the prompt level), `technology`, `equipment`, `none`.
    public var supports: [String] = []
    /// Reinforcement: `natural`, `artificial` or `none`.
    public var reinforcement: String?
    /// The pupil's state from the school's vocabulary (alert, drowsy, after-seizure…); stored sealed.
    public var state: String?
    /// Context: the activity.
    public var activity: String?
    /// Context: the setting.
    public var setting: String?
    /// Context: equipment used.
    public var equipment: String?
    /// Staff with the pupil (handles).
    public var withStaff: [String] = []
    /// EHC plan outcome number (from 1).
    public var outcome: Int?
    /// A free-text note (stored sealed).
    public var note: String?

    /// No fields set.
    public init() {}

    /// The fields by name: JSON keys, CSV column names and the names of edits, in one order.
    public enum Key: String, CaseIterable, Sendable, Codable, CodingKey {
        case areas, responses, intent, prompt, cues, cueNovelty, supports, reinforcement, state, activity, setting,
            equipment, withStaff, outcome, note
    }

    /// The list-valued fields.
    private static func list(_ key: Key) -> WritableKeyPath<ObservationFields, [String]>? {
        switch key {
        case .areas: \.areas
        case .responses: \.responses
        case .cues: \.cues
        case .supports: \.supports
        case .withStaff: \.withStaff
        default: nil
        }
    }

    /// The single text fields.
    private static func single(_ key: Key) -> WritableKeyPath<ObservationFields, String?>? {
        switch key {
        case .intent: \.intent
        case .prompt: \.prompt
        case .cueNovelty: \.cueNovelty
        case .reinforcement: \.reinforcement
        case .state: \.state
        case .activity: \.activity
        case .setting: \.setting
        case .equipment: \.equipment
        case .note: \.note
        default: nil
        }
    }

    /// Reads whichever keys are present (a mapping's code names a few), the rest left empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        for key in Key.allCases {
            if let path = Self.list(key) {
                self[keyPath: path] = try c.decodeIfPresent([String].self, forKey: key) ?? []
            } else if let path = Self.single(key) {
                self[keyPath: path] = try c.decodeIfPresent(String.self, forKey: key)
            }
        }
        outcome = try c.decodeIfPresent(Int.self, forKey: .outcome)
    }

    /// Writes every key (nil as null, so one shape everywhere).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for key in Key.allCases {
            if let path = Self.list(key) {
                try c.encode(self[keyPath: path], forKey: key)
            } else if let path = Self.single(key) {
                try c.encode(self[keyPath: path], forKey: key)
            }
        }
        try c.encode(outcome, forKey: .outcome)
    }

    /// A field as one CSV cell: lists joined with `;`, nothing as the empty string.
    public func text(_ key: Key) -> String {
        if let path = Self.list(key) { return self[keyPath: path].joined(separator: ";") }
        if let path = Self.single(key) { return self[keyPath: path] ?? "" }
        return outcome.map(String.init) ?? ""
    }

    /// Sets a field from one CSV cell (lists split on `;` or `,`); the empty string clears it.
    public mutating func set(_ key: Key, text: String) throws(EvidenceError) {
        if let path = Self.list(key) {
            self[keyPath: path] = text.split(whereSeparator: { $0 == ";" || $0 == "," })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        } else if let path = Self.single(key) {
            self[keyPath: path] = text.isEmpty ? nil : text
        } else {
            guard text.isEmpty || Int(text) != nil else {
                throw EvidenceError(.usage, "\"\(text)\" is not an outcome number.", field: .column("outcome"), value: text)
            }
            outcome = Int(text)
        }
    }

    /// These fields with `patch`'s value for each key in `keys`, the others kept.
    public func replacing(_ keys: Set<Key>, from patch: ObservationFields) -> ObservationFields {
        var result = self
        for key in keys {
            if let path = Self.list(key) {
                result[keyPath: path] = patch[keyPath: path]
            } else if let path = Self.single(key) {
                result[keyPath: path] = patch[keyPath: path]
            } else {
                result.outcome = patch.outcome
            }
        }
        return result
    }
}
