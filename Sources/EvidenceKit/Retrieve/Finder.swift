public import Catalogue
import Foundation
internal import Media
internal import Vault

/// Finds observations and untagged media, and shows an asset's moments.
public struct Finder: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// The current observations matching `query`, in its order.
    ///
    /// The results carry pupils' notes, so each find is audited once (naming the pupil when it is about one).
    public func find(_ query: FindQuery) throws(EvidenceError) -> [ObservationView] {
        var all: [ObservationView] = []
        try find(query) { batch in all += batch }
        return all
    }

    /// The current observations matching `query`, in its order, handed to `body` in batches of `batchSize`, so a
    /// broad query is written out in bounded memory. Audited before the first batch (naming the pupil when every
    /// row is about one); the number of rows.
    @discardableResult
    public func find(
        _ query: FindQuery, batchSize: Int = 2_000, each body: ([ObservationView]) throws -> Void
    ) throws(EvidenceError) -> Int {
        let ids = try matchingObservationIDs(query)
        let pupils: Set<PupilID>
        do {
            pupils = Set(
                try catalogue.read { store in try store.observationFacet(.pupil, ids: ids) }.compactMap { value -> PupilID? in
                    if case .pupil(let id) = value { return id }
                    return nil
                })
        } catch {
            throw EvidenceError.from(error)
        }
        try session.audit("find", pupilID: pupils.count == 1 ? pupils.first : nil, detail: "rows=\(ids.count) text=\(query.text != nil)")
        let context = try session.viewContext()
        var start = 0
        while start < ids.count {
            let batch = Array(ids[start..<min(ids.count, start + max(1, batchSize))])
            start += batch.count
            let details: [ObservationDetail]
            do { details = try catalogue.read { store in try store.observationDetails(ids: batch) } } catch {
                throw EvidenceError.from(error)
            }
            let byID = Dictionary(
                try session.views(of: details, context: context).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            do { try body(batch.compactMap { byID[$0] }) } catch { throw EvidenceError.from(error) }
        }
        return ids.count
    }

    /// Counts of the matching observations by one grouping, or by two (each group of the first split by the second).
    /// For `area` all five are listed even at zero, because gaps matter as much as volume; pupils are listed by name,
    /// never by count. An observation with two areas (or responses, staff, cues…) counts in each.
    public func findGroups(_ query: FindQuery, by groupings: [FindGrouping]) throws(EvidenceError) -> [FindGroup] {
        guard let first = groupings.first, groupings.count <= 2 else {
            throw EvidenceError(.usage, "Group by one or two things, not \(groupings.count).", field: Field("group-by"))
        }
        var unlimited = query
        unlimited.limit = nil
        let ids = try matchingObservationIDs(unlimited)
        guard groupings.count == 2 || first.facet == nil else { return try findGroups(ids, by: first) }
        // Opened in memory (a school has thousands of observations, not millions): every field is there.
        let views = try views(ids: ids, notes: false)
        let directory = try library.pupilDirectory()
        var counts: [GroupKey: Int] = [:]
        func keys(_ view: ObservationView, _ grouping: FindGrouping) -> [String] {
            Self.keys(of: view, by: grouping, directory: directory)
        }
        for view in views {
            for key in keys(view, first) {
                if groupings.count == 2 {
                    for subkey in keys(view, groupings[1]) { counts[GroupKey(key: key, subkey: subkey), default: 0] += 1 }
                } else {
                    counts[GroupKey(key: key, subkey: nil), default: 0] += 1
                }
            }
        }
        if first == .area, groupings.count == 1 {
            for area in EngagementArea.allCases where counts[GroupKey(key: area.rawValue, subkey: nil)] == nil {
                counts[GroupKey(key: area.rawValue, subkey: nil)] = 0
            }
        }
        let groups = counts.map { FindGroup(key: $0.key.key, subkey: $0.key.subkey, count: $0.value) }
        let areaOrder = Dictionary(uniqueKeysWithValues: EngagementArea.allCases.enumerated().map { ($1.rawValue, $0) })
        return groups.sorted { a, b in
            if a.key != b.key {
                switch first {
                case .area: return (areaOrder[a.key] ?? 9) < (areaOrder[b.key] ?? 9)
                case .pupil, .month, .timeOfDay, .outcome: return a.key < b.key
                default:
                    if groupings.count == 1, a.count != b.count { return a.count > b.count }
                    return a.key < b.key
                }
            }
            return (a.subkey ?? "") < (b.subkey ?? "")
        }
    }

    /// A group before it is counted.
    private struct GroupKey: Hashable {
        var key: String
        var subkey: String?
    }

    /// The group keys of one observation.
    static func keys(of view: ObservationView, by grouping: FindGrouping, directory: PupilDirectory) -> [String] {
        func orNone(_ values: [String], _ none: String) -> [String] { values.isEmpty ? [none] : values }
        switch grouping {
        case .area: return orNone(view.areas, "(no area)")
        case .context: return ["\(view.setting ?? "(no setting)") / \(view.activity ?? "(no activity)")"]
        case .month: return [String(view.occurredAt.prefix(7))]
        case .observer: return [view.observer]
        case .pupil: return [directory.pupil(handle: view.pupil).map(Self.sortName) ?? view.pupil]
        case .response: return orNone(view.responses, "(none)")
        case .prompt: return [view.prompt ?? "(not recorded)"]
        case .staff: return orNone(view.withStaff, "(no staff recorded)")
        case .setting: return [view.setting ?? "(no setting)"]
        case .activity: return [view.activity ?? "(no activity)"]
        case .timeOfDay: return [TimeOfDay(iso: view.occurredAt)?.rawValue ?? "(unknown)"]
        case .outcome: return [view.outcome.map { "outcome \($0)" } ?? "(no outcome)"]
        case .cue: return orNone(view.cues, "(not recorded)")
        case .support: return orNone(view.supports, "(not recorded)")
        case .state: return [view.state ?? "(not recorded)"]
        }
    }

    /// A pupil as `--group-by pupil` lists them: by surname, then forename ("Khan, Amira (amira-k)").
    static func sortName(_ pupil: Pupil) -> String {
        let (forename, surname) = pupil.nameParts
        return "\(surname), \(forename) (\(pupil.handle))"
    }

    /// Counts by one grouping through the catalogue's facet (reading only its column).
    private func findGroups(_ ids: [ObservationID], by grouping: FindGrouping) throws(EvidenceError) -> [FindGroup] {
        guard let facet = grouping.facet else { return [] }
        var counts: [String: Int] = [:]
        if grouping == .area { for area in EngagementArea.allCases { counts[area.rawValue] = 0 } }
        let directory = grouping == .pupil ? try library.pupilDirectory() : nil
        let vocabulary = grouping == .response ? try library.vocabulary(.response) : nil
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let values: [ObservationFacetValue]
        do { values = try catalogue.read { store in try store.observationFacet(facet, ids: ids) } } catch {
            throw EvidenceError.from(error)
        }
        for value in values {
            switch value {
            case .areas(let areas):
                for area in areas.members { counts[area.rawValue, default: 0] += 1 }
            case .context(let sealed):
                // Context is sealed: opened in memory (a school has thousands of observations, not millions).
                let context: ObservationContext
                do { context = try ObservationContext.open(sealed, master: library.master) } catch {
                    throw EvidenceError.from(error)
                }
                counts["\(context.setting ?? "(no setting)") / \(context.activity ?? "(no activity)")", default: 0] += 1
            case .occurredAt(let date):
                counts[String(CalendarDate.day(of: date, calendar: calendar).prefix(7)), default: 0] += 1
            case .observer(let observer):
                counts[observer, default: 0] += 1
            case .pupil(let pupil):
                counts[directory?.pupil(id: pupil).map(Self.sortName) ?? "?", default: 0] += 1
            case .responses(let terms):
                if terms.isEmpty { counts["(none)", default: 0] += 1 }
                for stored in terms { counts[try vocabulary?.term(stored) ?? stored, default: 0] += 1 }
            case .prompt(let prompt):
                counts[prompt?.rawValue ?? "(not recorded)", default: 0] += 1
            }
        }
        let groups = counts.map { FindGroup(key: $0.key, count: $0.value) }
        switch grouping {
        case .area:
            return EngagementArea.allCases.map { area in FindGroup(key: area.rawValue, count: counts[area.rawValue] ?? 0) }
        case .month:
            return groups.sorted { $0.key < $1.key }
        case .pupil:
            // Pupils are listed by name, never by count: a count order would read as a league table.
            return groups.sorted { $0.key < $1.key }
        default:
            return groups.sorted { ($1.count, $0.key) < ($0.count, $1.key) }
        }
    }

    /// Assets that nobody has tagged yet (no current observation), oldest first.
    public func untaggedAssets(_ query: FindQuery) throws(EvidenceError) -> [AssetView] {
        let range = try dayRange(query)
        let kind = try assetKind(query)
        do {
            let records = try catalogue.read { store in
                try store.untaggedAssetIDs(kind: kind, capturedFrom: range.start, capturedBefore: range.end)
                    .prefix(query.limit ?? Int.max).compactMap { try store.asset(id: $0) }
            }
            return try AssetBrowser(session).views(of: records)
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// An asset's moments in time order (whole-asset moments first), with their current observations.
    public func moments(of asset: AssetRecord) throws(EvidenceError) -> [MomentView] {
        let moments: [MomentRecord]
        let details: [ObservationDetail]
        do {
            (moments, details) = try catalogue.read { store in
                let ids = try store.currentObservationIDs(assetID: asset.id)
                return (try store.moments(assetID: asset.id), try store.observationDetails(ids: ids))
            }
        } catch {
            throw EvidenceError.from(error)
        }
        let views = Dictionary(grouping: try session.views(of: details.sorted { $0.observation.id < $1.observation.id }), by: \.moment)
        return moments.map { moment in
            MomentView(id: moment.id, startMs: moment.startMs, endMs: moment.endMs, observations: views[moment.id] ?? [])
        }
    }

    /// The asset an observation is of (nil for one from home); throws for an unknown id.
    public func asset(ofObservation id: ObservationID) throws(EvidenceError) -> AssetID? {
        let detail: ObservationDetail?
        do { detail = try catalogue.read { store in try store.observationDetails(ids: [id]).first } } catch {
            throw EvidenceError.from(error)
        }
        guard let detail else {
            throw EvidenceError(.usage, "There is no observation \(id).", field: Field("observation"), value: id.description)
        }
        return detail.assetID
    }

    /// The current observations whose ids are in `ids`, in the order given.
    func views(ids: [ObservationID], notes: Bool = true) throws(EvidenceError) -> [ObservationView] {
        guard !ids.isEmpty else { return [] }
        let details: [ObservationDetail]
        do { details = try catalogue.read { store in try store.observationDetails(ids: ids) } } catch {
            throw EvidenceError.from(error)
        }
        let byID = Dictionary(try session.views(of: details, notes: notes).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return ids.compactMap { byID[$0] }
    }

    /// The UTC instants that `since` and `until` name (until is inclusive of its whole last day).
    private func dayRange(_ query: FindQuery) throws(EvidenceError) -> (start: Date?, end: Date?) {
        let start = try query.since.map { (text) throws(EvidenceError) in
            CalendarDate.startOfDay(try CalendarDate.range(text, field: Field("since")).first, in: timeZone)
        }
        let end = try query.until.map { (text) throws(EvidenceError) in
            CalendarDate.startOfDay(try CalendarDate.range(text, field: Field("until")).last, in: timeZone)
                .addingTimeInterval(86_400)
        }
        return (start, end)
    }

    private func assetKind(_ query: FindQuery) throws(EvidenceError) -> AssetKind? {
        try query.assetKind.map { (text) throws(EvidenceError) in try parseChoice(text, field: Field("asset-kind")) }
    }

    /// Resolves what people typed into the store's typed filter, then runs it.
    func matchingObservationIDs(_ query: FindQuery) throws(EvidenceError) -> [ObservationID] {
        var filter = ObservationFilter()
        if !query.pupils.isEmpty {
            let directory = try library.pupilDirectory()
            for text in query.pupils { filter.pupils.append(try directory.resolve(text).id) }
        }
        filter.areas = try EngagementAreas(parsing: query.areas)
        filter.allAreas = query.allAreas
        if !query.responses.isEmpty {
            let vocabulary = try library.vocabulary(.response)
            filter.responses = try vocabulary.validated(query.responses).map(vocabulary.stored)
        }
        filter.intent = try query.intent.map { (text) throws(EvidenceError) in try parseChoice(text, field: Field("intent")) }
        filter.prompt = try query.prompt.map { (text) throws(EvidenceError) in try parseChoice(text, field: Field("prompt")) }
        filter.activity = query.activity.map {
            ObservationContext.tag(activity: $0.trimmingCharacters(in: .whitespaces).lowercased(), master: library.master)
        }
        filter.setting = query.setting.map {
            ObservationContext.tag(setting: $0.trimmingCharacters(in: .whitespaces).lowercased(), master: library.master)
        }
        if !query.withStaff.isEmpty || !query.withoutStaff.isEmpty {
            let staff = try library.staffMembers()
            for text in query.withStaff {
                filter.withStaff.append(try library.resolveStaff(text, in: staff, field: Field("with-staff")).id)
            }
            for text in query.withoutStaff {
                filter.withoutStaff.append(try library.resolveStaff(text, in: staff, field: Field("without-staff")).id)
            }
        }
        filter.observer = query.observer
        filter.outcome = query.outcome
        let range = try dayRange(query)
        filter.occurredFrom = range.start
        filter.occurredBefore = range.end
        filter.assetKind = try assetKind(query)
        filter.order = query.sort
        filter.coding = query.coding
        // The note filter runs after the query (notes are sealed), so the limit must too when it is set.
        filter.limit = query.text == nil ? query.limit : nil
        do {
            var ids = try catalogue.read { store in try store.observationIDs(matching: filter) }
            if let text = query.text {
                ids = try notesMatching(ids, words: text)
                if let limit = query.limit { ids = Array(ids.prefix(limit)) }
            }
            return ids
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Keeps the observations whose note contains every word (case- and accent-insensitive), opening notes in memory.
    private func notesMatching(_ ids: [ObservationID], words text: String) throws -> [ObservationID] {
        let words = text.split(separator: " ").map { $0.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
        guard !words.isEmpty else { return ids }
        let notes = try catalogue.read { store in try store.sealedNotes(ids: ids) }
        var matching: Set<ObservationID> = []
        for (id, sealed) in notes {
            let note = try library.master.open(sealed, context: "observation.note")
                .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            if words.allSatisfy({ note.contains($0) }) { matching.insert(id) }
        }
        return ids.filter { matching.contains($0) }
    }
}

extension FindGrouping {
    /// What the catalogue reads to count by this grouping alone; nil when it needs the whole observation opened.
    var facet: ObservationFacet? {
        switch self {
        case .area: .areas
        case .context: .context
        case .month: .occurredAt
        case .observer: .observer
        case .pupil: .pupil
        case .response: .responses
        case .prompt: .prompt
        default: nil
        }
    }
}
