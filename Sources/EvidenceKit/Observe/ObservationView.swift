public import Foundation
public import Catalogue
internal import Media
internal import Vault

/// One current observation as shown to staff (`moments`, `find`), sealed fields opened in memory.
///
/// The observed fields are an ``ObservationFields`` (reachable directly, `view.areas`), printed flat beside the ids.
@dynamicMemberLookup
public struct ObservationView: Sendable, Encodable, Equatable {
    /// `o34`.
    public var id: ObservationID
    /// `m12`.
    public var moment: MomentID
    /// The asset id (nil for an observation from home, which has no media).
    public var asset: AssetID?
    /// Photo or video (nil from home).
    public var assetKind: AssetKind?
    /// `media` (staff saw it on a photo or video) or `family` (from home, as the family reported it).
    public var origin: Origin = .media
    /// Start of the range in ms (nil: the whole asset).
    public var startMs: Int64?
    /// End of the range in ms.
    public var endMs: Int64?
    /// When it happened (capture time plus the start), ISO 8601 with the capture's offset when known.
    public var occurredAt: String
    /// The pupil's handle.
    public var pupil: String
    /// What was observed: areas in the model's order, handles for staff, the note opened.
    public var fields: ObservationFields
    /// Who recorded it.
    public var observer: String
    /// When it was recorded.
    public var recordedAt: Date
    /// What keeps this evidence back (consent): outputs of it are refused; empty when it may be used.
    public var restrictions: [String] = []
    /// Whether consent keeps it back.
    public var restricted: Bool { !restrictions.isEmpty }

    /// The range as text, or `whole` for a photo or a whole video.
    public var rangeText: String { TimeCode.range(startMs, endMs) }

    /// A field of ``fields``.
    public subscript<T>(dynamicMember keyPath: KeyPath<ObservationFields, T>) -> T { fields[keyPath: keyPath] }

    private enum CodingKeys: String, CodingKey {
        case id, moment, asset, assetKind, origin, startMs, endMs, occurredAt, pupil, observer, recordedAt, restricted, restrictions
    }

    /// The ids, then the fields, in one flat object.
    public func encode(to encoder: any Encoder) throws {
        try fields.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(moment, forKey: .moment)
        try c.encode(asset, forKey: .asset)
        try c.encode(assetKind, forKey: .assetKind)
        try c.encode(origin, forKey: .origin)
        try c.encodeIfPresent(startMs, forKey: .startMs)
        try c.encodeIfPresent(endMs, forKey: .endMs)
        try c.encode(occurredAt, forKey: .occurredAt)
        try c.encode(pupil, forKey: .pupil)
        try c.encode(observer, forKey: .observer)
        try c.encode(recordedAt, forKey: .recordedAt)
        try c.encode(restricted, forKey: .restricted)
        try c.encode(restrictions, forKey: .restrictions)
    }
}

/// What turning stored observations into staff views needs, read once for many batches: the pupils, the staff,
/// the consent gate and the vocabulary, and who each asset shows (filled as batches need it).
final class ViewContext {
    let directory: PupilDirectory
    let staff: [StaffID: String]
    let gate: ConsentGate
    let vocabulary: SchoolVocabulary
    /// Pupils shown, by asset, for the assets seen so far.
    var shown: [AssetID: Set<PupilID>] = [:]

    init(directory: PupilDirectory, staff: [StaffID: String], gate: ConsentGate, vocabulary: SchoolVocabulary) {
        self.directory = directory
        self.staff = staff
        self.gate = gate
        self.vocabulary = vocabulary
    }
}

extension Session {
    /// The context for ``views(of:notes:context:)``, read now.
    func viewContext() throws(EvidenceError) -> ViewContext {
        ViewContext(
            directory: try library.pupilDirectory(),
            staff: Dictionary(try library.staffMembers().map { ($0.id, $0.handle) }, uniquingKeysWith: { a, _ in a }),
            gate: try consentGate(), vocabulary: try library.vocabulary(.response))
    }

    /// Staff views of stored observations: handles for ids, the note opened in memory.
    ///
    /// `notes: false` leaves each note sealed (nil): counting and captions need the tags, not the free text, and a
    /// note is the one field every observation may carry.
    func views(of details: [ObservationDetail], notes: Bool = true, context given: ViewContext? = nil) throws(EvidenceError)
        -> [ObservationView]
    {
        let context: ViewContext
        if let given { context = given } else { context = try viewContext() }
        let directory = context.directory
        let staff = context.staff
        let gate = context.gate
        let vocabulary = context.vocabulary
        do {
            let missing = Set(details.compactMap(\.assetID)).filter { context.shown[$0] == nil }
            if !missing.isEmpty {
                let found = try library.catalogue.read { store in try store.pupilsShown(assetIDs: Array(missing)) }
                for asset in missing { context.shown[asset] = found[asset] ?? [] }
            }
            let shown = context.shown
            // One decision per asset and day, however many observations share them (the observed pupil is always
            // among those the asset shows: tagging records them as appearing).
            var decided: [String: [String]] = [:]
            func restrictions(_ detail: ObservationDetail) -> [String] {
                let day = CalendarDate.day(of: detail.observation.occurredAt, in: timeZone)
                // From home there is no media: only the pupil's own consent applies.
                let others = detail.assetID.flatMap { shown[$0] } ?? []
                let key = "\(detail.assetID?.rawValue ?? "home:\(detail.observation.pupilID.rawValue)")|\(day)"
                if let known = decided[key], detail.assetID == nil || others.contains(detail.observation.pupilID) {
                    return known
                }
                let lines = gate.restrictions(
                    showing: others.union([detail.observation.pupilID]), capturedOn: day
                ).map { "\(directory.pupil(id: $0.pupil)?.handle ?? "?"): \($0)" }
                decided[key] = lines
                return lines
            }
            return try details.map { detail in
                let o = detail.observation
                return ObservationView(
                    id: o.id, moment: o.momentID, asset: detail.assetID, assetKind: detail.assetKind, origin: o.origin,
                    startMs: detail.startMs, endMs: detail.endMs,
                    occurredAt: CaptureTime.format(
                        o.occurredAt, offsetSeconds: detail.utcOffsetSeconds ?? timeZone.secondsFromGMT(for: o.occurredAt)),
                    pupil: directory.pupil(id: o.pupilID)?.handle ?? "?", fields: try fields(of: o, staff: staff, vocabulary: vocabulary, notes: notes),
                    observer: o.observer, recordedAt: o.createdAt,
                    restrictions: restrictions(detail))
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// A stored observation's fields as staff see them.
    private func fields(
        of o: ObservationRecord, staff: [StaffID: String], vocabulary: SchoolVocabulary, notes: Bool
    ) throws -> ObservationFields {
        var fields = ObservationFields()
        fields.areas = o.areas.members.map(\.rawValue)
        fields.responses = try o.responses.map(vocabulary.term)
        fields.intent = o.intent?.rawValue
        fields.prompt = o.prompt?.rawValue
        let context = try ObservationContext.open(o.contextSealed, master: library.master)
        fields.activity = context.activity
        fields.setting = context.setting
        fields.equipment = context.equipment
        fields.state = context.state
        fields.cues = o.cues.map(\.rawValue)
        fields.cueNovelty = o.cueNovelty?.rawValue
        fields.supports = o.supports.map(\.rawValue)
        fields.reinforcement = o.reinforcement?.rawValue
        fields.withStaff = o.staffIDs.compactMap { staff[$0] }.sorted()
        fields.outcome = o.outcome
        if notes { fields.note = try o.noteSealed.map { try library.master.open($0, context: "observation.note") } }
        return fields
    }
}
