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
        case areas, responses, intent, prompt, activity, setting, equipment, withStaff, outcome, note
    }

    /// Reads whichever keys are present (a mapping's code names a few), the rest left empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        areas = try c.decodeIfPresent([String].self, forKey: .areas) ?? []
        responses = try c.decodeIfPresent([String].self, forKey: .responses) ?? []
        intent = try c.decodeIfPresent(String.self, forKey: .intent)
        prompt = try c.decodeIfPresent(String.self, forKey: .prompt)
        activity = try c.decodeIfPresent(String.self, forKey: .activity)
        setting = try c.decodeIfPresent(String.self, forKey: .setting)
        equipment = try c.decodeIfPresent(String.self, forKey: .equipment)
        withStaff = try c.decodeIfPresent([String].self, forKey: .withStaff) ?? []
        outcome = try c.decodeIfPresent(Int.self, forKey: .outcome)
        note = try c.decodeIfPresent(String.self, forKey: .note)
    }

    /// A field as one CSV cell: lists joined with `;`, nothing as the empty string.
    public func text(_ key: Key) -> String {
        switch key {
        case .areas: areas.joined(separator: ";")
        case .responses: responses.joined(separator: ";")
        case .withStaff: withStaff.joined(separator: ";")
        case .intent: intent ?? ""
        case .prompt: prompt ?? ""
        case .activity: activity ?? ""
        case .setting: setting ?? ""
        case .equipment: equipment ?? ""
        case .outcome: outcome.map(String.init) ?? ""
        case .note: note ?? ""
        }
    }

    /// Sets a field from one CSV cell (lists split on `;` or `,`); the empty string clears it.
    public mutating func set(_ key: Key, text: String) throws(EvidenceError) {
        let list = text.split(whereSeparator: { $0 == ";" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let value = text.isEmpty ? nil : text
        switch key {
        case .areas: areas = list
        case .responses: responses = list
        case .withStaff: withStaff = list
        case .intent: intent = value
        case .prompt: prompt = value
        case .activity: activity = value
        case .setting: setting = value
        case .equipment: equipment = value
        case .note: note = value
        case .outcome:
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
            switch key {
            case .areas: result.areas = patch.areas
            case .responses: result.responses = patch.responses
            case .withStaff: result.withStaff = patch.withStaff
            case .intent: result.intent = patch.intent
            case .prompt: result.prompt = patch.prompt
            case .activity: result.activity = patch.activity
            case .setting: result.setting = patch.setting
            case .equipment: result.equipment = patch.equipment
            case .outcome: result.outcome = patch.outcome
            case .note: result.note = patch.note
            }
        }
        return result
    }
}
