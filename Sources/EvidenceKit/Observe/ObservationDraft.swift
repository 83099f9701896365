import Foundation
import Catalogue
internal import Vault

/// One pupil's observation as typed at the CLI or read from an annotation file, before it is checked.
///
/// The observed fields are an ``ObservationFields``, reachable directly (`draft.areas`).
@dynamicMemberLookup
public struct ObservationDraft: Sendable {
    /// The pupil (handle or unambiguous start of a name).
    public var pupil: String
    /// What was observed.
    public var fields = ObservationFields()
    /// Other pupils visible in the moment.
    public var also: [String] = []

    /// Makes a draft for a pupil.
    public init(pupil: String, fields: ObservationFields = ObservationFields()) {
        self.pupil = pupil
        self.fields = fields
    }

    /// A field of ``fields``.
    public subscript<T>(dynamicMember keyPath: WritableKeyPath<ObservationFields, T>) -> T {
        get { fields[keyPath: keyPath] }
        set { fields[keyPath: keyPath] = newValue }
    }
}

/// A checked observation, ready to store.
struct ResolvedObservation {
    var pupil: Pupil
    var areas: EngagementAreas
    var responses: [String]
    var intent: Intent?
    var prompt: PromptLevel?
    var cues: [Cue] = []
    var cueNovelty: CueNovelty?
    var supports: [Support] = []
    var reinforcement: Reinforcement?
    var state: String?
    var activity: String?
    var setting: String?
    var equipment: String?
    var staffIDs: [StaffID]
    var outcome: Int?
    var note: String?
    var also: [Pupil]
    /// The original annotation (tier and value) when imported, kept sealed for exact export.
    var source: AnnotationSource?
}

/// Where an imported observation came from, so an export can give back the same tier and value.
struct AnnotationSource: Equatable {
    var tier: String
    var value: String
    /// BORIS modifiers (`|`-separated), empty when there were none.
    var modifier: String = ""
    /// The BORIS behaviour's category.
    var category: String = ""
    /// The BORIS observation's independent variables, `name=value;…`.
    var variables: String = ""

    init(tier: String, value: String, modifier: String = "", category: String = "", variables: String = "") {
        self.tier = tier
        self.value = value
        self.modifier = modifier
        self.category = category
        self.variables = variables
    }

    /// Sealed as `tier ␟ value`, then `␟ modifier ␟ category ␟ variables` as far as any is set (a unit separator
    /// cannot occur in any of them; records from before modifiers were kept have two parts).
    func sealed(master: MasterKey) throws -> Data {
        var parts = [tier, value, modifier, category, variables]
        while parts.count > 2, parts.last?.isEmpty == true { parts.removeLast() }
        return try master.seal(parts.joined(separator: "\u{1F}"), context: "observation.source")
    }

    init(sealed: Data, master: MasterKey) throws {
        let text = try master.open(sealed, context: "observation.source")
        let parts = text.split(separator: "\u{1F}", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
        func part(_ index: Int) -> String { index < parts.count ? parts[index] : "" }
        tier = part(0)
        value = part(1)
        modifier = part(2)
        category = part(3)
        variables = part(4)
    }
}

/// Everything needed to check drafts quickly, loaded once per command (or per import of many rows).
final class TaggingContext {
    let directory: PupilDirectory
    let staff: [StaffMember]
    let vocabulary: SchoolVocabulary
    let states: SchoolVocabulary
    let timeZone: TimeZone
    /// Capture decisions by pupil, so a check does not scan the whole register.
    private let captureEntries: [PupilID: [ConsentEntry]]
    private var permitted: [String: Bool] = [:]

    init(
        directory: PupilDirectory, staff: [StaffMember], vocabulary: SchoolVocabulary, states: SchoolVocabulary, consent: [ConsentEntry], timeZone: TimeZone) {
        self.directory = directory
        self.staff = staff
        self.vocabulary = vocabulary
        self.states = states
        self.timeZone = timeZone
        captureEntries = Dictionary(grouping: consent.filter { $0.purpose == .capture }, by: \.pupilID)
    }

    /// ``ConsentRule`` for capture, memoised per pupil and day.
    func capturePermitted(_ pupilID: PupilID, _ day: String) -> Bool {
        let key = "\(pupilID.rawValue)\u{1F}\(day)"
        if let known = permitted[key] { return known }
        let answer = ConsentRule.permits(captureEntries[pupilID] ?? [], pupilID: pupilID, purpose: .capture, on: day)
        permitted[key] = answer
        return answer
    }

    /// Checks a draft: known pupil, the five areas, vocabulary, closed sets, a real EHC outcome, and capture consent
    /// on the moment's day.
    func resolve(_ draft: ObservationDraft, day: String, library: Library) throws(EvidenceError) -> ResolvedObservation {
        let pupil = try directory.resolve(draft.pupil)
        let areas = try EngagementAreas(parsing: draft.areas)
        let responses = try vocabulary.validated(draft.responses)
        let state = try draft.state.map { (text) throws(EvidenceError) in try states.validated([text])[0] }
        let intent: Intent? = try draft.intent.map { (text) throws(EvidenceError) in try parseChoice(text, field: Field("intent")) }
        let prompt: PromptLevel? = try draft.prompt.map { (text) throws(EvidenceError) in
            try parseChoice(text, field: Field("prompt"))
        }
        var staffIDs: [StaffID] = []
        for text in draft.withStaff { staffIDs.append(try library.resolveStaff(text, in: staff, field: Field("with-staff")).id) }
        if let outcome = draft.outcome {
            guard outcome >= 1, outcome <= pupil.outcomes.count else {
                if pupil.outcomes.isEmpty {
                    throw EvidenceError(
                        .usage, "\(pupil.handle) has no EHC outcome \(outcome): none are recorded.", field: Field("outcome"),
                        value: String(outcome), remedy: .recordOutcomes(pupil: pupil.handle))
                }
                throw EvidenceError(
                    .usage, "\(pupil.handle) has no EHC outcome \(outcome): they are numbered 1 to \(pupil.outcomes.count).",
                    field: Field("outcome"), value: String(outcome))
            }
        }
        guard capturePermitted(pupil.id, day) else {
            throw EvidenceError(
                .usage,
                "\(pupil.handle) has no capture consent on \(day), so evidence of them cannot be tagged.",
                field: Field("pupil"), value: pupil.handle,
                remedy: .recordConsent(pupil: pupil.handle, purpose: .capture, from: day))
        }
        var also: [Pupil] = []
        for text in draft.also {
            let other = try directory.resolve(text, field: Field("also"))
            if other.id != pupil.id, !also.contains(other) { also.append(other) }
        }
        func clean(_ text: String?) -> String? {
            guard let text, !text.isEmpty else { return nil }
            guard text.first == " " || text.last == " " else { return text }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        return ResolvedObservation(
            pupil: pupil, areas: areas, responses: responses, intent: intent, prompt: prompt,
            cues: try parseChoices(draft.cues, field: Field("cue")),
            cueNovelty: try draft.cueNovelty.map { (text) throws(EvidenceError) in try parseChoice(text, field: Field("cue-novelty")) },
            supports: try parseChoices(draft.supports, field: Field("support")),
            reinforcement: try draft.reinforcement.map { (text) throws(EvidenceError) in
                try parseChoice(text, field: Field("reinforcement"))
            },
            state: state, activity: clean(draft.activity)?.lowercased(), setting: clean(draft.setting)?.lowercased(),
            equipment: clean(draft.equipment)?.lowercased(), staffIDs: staffIDs, outcome: draft.outcome,
            note: clean(draft.note), also: also, source: nil
        )
    }
}

extension TaggingContext {
    /// Loads what checking drafts needs, once.
    static func load(_ session: Session) throws(EvidenceError) -> TaggingContext {
        let library = session.library
        let directory = try library.pupilDirectory()
        let staff = try library.staffMembers()
        let vocabulary = try library.vocabulary(.response)
        let states = try library.vocabulary(.state)
        do {
            let consent = try library.catalogue.read { store in try ConsentRegister.entries(store) }
            return TaggingContext(
                directory: directory, staff: staff, vocabulary: vocabulary, states: states, consent: consent, timeZone: session.timeZone)
        } catch {
            throw EvidenceError.from(error)
        }
    }
}
