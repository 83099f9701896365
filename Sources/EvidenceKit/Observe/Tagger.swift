public import Catalogue
import Foundation
internal import Vault

/// What `tag` stored.
public struct TagResult: Sendable, Codable {
    /// The moment, new or shared with earlier tags of the same range.
    public var moment: MomentID
    /// The observation.
    public var observation: ObservationID
}

/// Tags moments with observations, edits and untags them (history kept), and records who appears in an asset.
public struct Tagger: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// Tags a moment of an asset (a video range, or the whole photo or video) with one pupil's observation.
    ///
    /// The observer is `observer` (a staff handle), else the acting member of staff. A `.second` coding is another
    /// member of staff's independent coding of a moment already tagged for the pupil: kept for moderation, never
    /// listed or counted as evidence, and refused from the moment's first coder.
    public func tag(
        asset: AssetRecord, from: Int64? = nil, to: Int64? = nil, draft: ObservationDraft, observer: String? = nil,
        coding: Coding = .first
    ) throws(EvidenceError) -> TagResult {
        let range = try MomentRange.checked(asset, from: from, to: to)
        let observedBy = try session.observer(named: observer)
        let occurredAt = asset.capturedAt.addingTimeInterval(Double(range.start ?? 0) / 1000)
        let context = try TaggingContext.load(session)
        let observation = try context.resolve(draft, day: CalendarDate.day(of: occurredAt, in: timeZone), library: library)
        do {
            let record = try observation.record(
                moment: MomentID(0), occurredAt: occurredAt, observer: observedBy, now: session.clock(),
                vocabulary: context.vocabulary, master: library.master)
            let now = session.clock()
            return try catalogue.write { store in
                var stored = record
                stored.coding = coding
                if coding == .second {
                    stored.momentID = try Self.momentToCodeAgain(
                        store, asset: asset, range: range, pupil: observation.pupil, observer: observedBy)
                } else {
                    stored.momentID =
                        try store.momentID(assetID: asset.id, startMs: range.start, endMs: range.end)
                        ?? store.insertMoment(
                            MomentRecord(
                                assetID: asset.id, startMs: range.start, endMs: range.end, occurredAt: occurredAt,
                                createdAt: now, createdBy: actor))
                }
                let id = try store.insertObservation(stored)
                if coding == .first {
                    try store.addAppearances(
                        assetID: asset.id, pupils: ([observation.pupil] + observation.also).map(\.id), at: now, by: actor)
                }
                try store.appendAudit(
                    session.auditDraft(
                        coding == .first ? "tag" : "code-second", assetID: asset.id, pupilID: observation.pupil.id,
                        detail: id.description))
                return TagResult(moment: stored.momentID, observation: id)
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Records an observation from home: what the family told staff the pupil did on `day` (at `time`, `HH:MM`, in
    /// the session's zone; noon when not given). No media: a moment with no asset, the observation marked `family`,
    /// checked like any other (the pupil's capture consent on the day included) and audited.
    public func recordFromHome(day: String, time: String? = nil, draft: ObservationDraft) throws(EvidenceError) -> TagResult {
        let day = try CalendarDate.parse(day, field: Field("on"))
        let minutes: Int
        if let time {
            let parts = time.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) else {
                throw EvidenceError(.usage, "\"\(time)\" is not a time of day: use HH:MM, e.g. 18:30.", field: Field("at"), value: time)
            }
            minutes = parts[0] * 60 + parts[1]
        } else {
            minutes = 12 * 60
        }
        let occurredAt = CalendarDate.startOfDay(day, in: timeZone).addingTimeInterval(Double(minutes) * 60)
        guard day <= session.today else {
            throw EvidenceError(.usage, "\(day) has not happened yet.", field: Field("on"), value: day)
        }
        let observedBy = try session.observer(named: nil)
        let context = try TaggingContext.load(session)
        let observation = try context.resolve(draft, day: day, library: library)
        do {
            var record = try observation.record(
                moment: MomentID(0), occurredAt: occurredAt, observer: observedBy, now: session.clock(),
                vocabulary: context.vocabulary, master: library.master)
            record.origin = .family
            let now = session.clock()
            return try catalogue.write { store in
                record.momentID = try store.insertMoment(
                    MomentRecord(assetID: nil, startMs: nil, endMs: nil, occurredAt: occurredAt, createdAt: now, createdBy: actor))
                let id = try store.insertObservation(record)
                try store.appendAudit(session.auditDraft("tag-home", pupilID: observation.pupil.id, detail: id.description))
                return TagResult(moment: record.momentID, observation: id)
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// The moment a second coding is of: it must already be tagged for the pupil, by someone else, and not yet coded
    /// a second time by this observer.
    private static func momentToCodeAgain(
        _ store: any CatalogueTransaction, asset: AssetRecord, range: (start: Int64?, end: Int64?), pupil: Pupil, observer: String
    ) throws -> MomentID {
        let range_ = TimeCode.range(range.start, range.end)
        guard let moment = try store.momentID(assetID: asset.id, startMs: range.start, endMs: range.end) else {
            throw EvidenceError(
                .usage, "There is no moment \(range_) of \(asset.id.short) to code a second time: it is tagged first.",
                field: Field("from"), remedy: .listMoments)
        }
        let codings = try store.currentCodings(momentID: moment).map(\.observation).filter { $0.pupilID == pupil.id }
        guard let first = codings.first(where: { $0.coding == .first }) else {
            throw EvidenceError(
                .usage, "Moment \(moment) is not tagged for \(pupil.handle) yet, so it cannot be coded a second time.",
                field: Field("pupil"), value: pupil.handle)
        }
        guard first.observer != observer else {
            throw EvidenceError(
                .usage,
                "\(observer) coded moment \(moment) first; a second coding must be independent, by another member of staff.",
                field: Field("as"), value: observer, remedy: .sayWhoIsActing)
        }
        guard !codings.contains(where: { $0.coding == .second && $0.observer == observer }) else {
            throw EvidenceError(
                .usage, "\(observer) has already coded moment \(moment) for \(pupil.handle) a second time: edit that coding.",
                field: Field("as"), value: observer)
        }
        return moment
    }

    /// Parses `o34` (or `34`) into an observation id.
    static func observationID(_ text: String) throws(EvidenceError) -> ObservationID {
        guard let id = ObservationID(parsing: text) else {
            throw EvidenceError(
                .usage, "\"\(text)\" is not an observation id (like o34).", field: Field("observation"), value: text,
                remedy: .listMoments)
        }
        return id
    }

    /// Removes observations from the current view; the rows stay, stamped with who removed them and when.
    public func untag(_ observationIDs: [String]) throws(EvidenceError) -> [ObservationID] {
        var ids: [ObservationID] = []
        for text in observationIDs { ids.append(try Self.observationID(text)) }
        do {
            let now = session.clock()
            return try catalogue.write { store in
                for id in ids {
                    guard let detail = try store.observationDetails(ids: [id]).first else {
                        throw EvidenceError(.usage, "There is no observation \(id).", field: Field("observation"), value: id.description)
                    }
                    guard detail.observation.isCurrent else {
                        throw EvidenceError(
                            .usage, "Observation \(id) was already edited or removed.", field: Field("observation"),
                            value: id.description, remedy: .listMoments)
                    }
                    try store.markRemoved(id, at: now, by: actor)
                    try store.appendAudit(
                        session.auditDraft(
                            "untag", assetID: detail.assetID, pupilID: detail.observation.pupilID, detail: id.description))
                }
                return ids
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Edits an observation by adding its new version and pointing the old one at it, so history is kept.
    public func editObservation(_ idText: String, _ edit: ObservationEdit) throws(EvidenceError) -> TagResult {
        let id = try Self.observationID(idText)
        let found: ObservationDetail?
        do { found = try catalogue.read { store in try store.observationDetails(ids: [id]).first } } catch {
            throw EvidenceError.from(error)
        }
        guard let found, let old = try session.views(of: [found]).first else {
            throw EvidenceError(.usage, "There is no observation \(id).", field: Field("observation"), value: id.description)
        }
        if let newer = found.observation.replacedBy {
            throw EvidenceError(
                .usage, "Observation \(id) was edited since: edit its newer version \(newer).", field: Field("observation"),
                value: id.description)
        }
        guard found.observation.removedAt == nil else {
            throw EvidenceError(.usage, "Observation \(id) was removed (untagged).", field: Field("observation"), value: id.description)
        }
        let draft = ObservationDraft(pupil: old.pupil, fields: old.fields.replacing(edit.changed, from: edit.fields))
        let occurred = found.observation.occurredAt
        let context = try TaggingContext.load(session)
        let resolved = try context.resolve(draft, day: CalendarDate.day(of: occurred, in: timeZone), library: library)
        do {
            var record = try resolved.record(
                moment: found.observation.momentID, occurredAt: occurred, observer: found.observation.observer,
                now: session.clock(), vocabulary: context.vocabulary, master: library.master)
            record.coding = found.observation.coding
            return try catalogue.write { store in
                let newID = try store.insertObservation(record)
                try store.markReplaced(id, by: newID)
                try store.appendAudit(
                    session.auditDraft("edit", assetID: found.assetID, pupilID: resolved.pupil.id, detail: "\(id)→\(newID)"))
                return TagResult(moment: found.observation.momentID, observation: newID)
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Who appears in an asset. Adds pupils seen (`add`), and records a review: `noneElse` says nobody else is visible.
    public func appearances(
        of asset: AssetRecord, add: [String] = [], reviewed: Bool = false, noneElse: Bool = false
    ) throws(EvidenceError) -> AppearanceView {
        let directory = try library.pupilDirectory()
        var adding: [Pupil] = []
        for text in add { adding.append(try directory.resolve(text, field: Field("add"))) }
        do {
            let now = session.clock()
            return try catalogue.write { store in
                if !adding.isEmpty { try store.addAppearances(assetID: asset.id, pupils: adding.map(\.id), at: now, by: actor) }
                if reviewed || noneElse {
                    try store.recordAppearanceReview(
                        AppearanceReviewRecord(assetID: asset.id, noneElse: noneElse, reviewedAt: now, reviewedBy: actor))
                }
                if !adding.isEmpty || reviewed || noneElse {
                    try store.appendAudit(
                        session.auditDraft(
                            "appearances", assetID: asset.id,
                            detail: "added=\(adding.count) reviewed=\(reviewed || noneElse) none-else=\(noneElse)"))
                }
                let pupils = try store.appearances(assetID: asset.id)
                let review = try store.appearanceReview(assetID: asset.id)
                return AppearanceView(
                    asset: asset.id, pupils: pupils.compactMap { directory.pupil(id: $0)?.handle }.sorted(),
                    reviewed: review != nil, noneElse: review?.noneElse ?? false, reviewedBy: review?.reviewedBy,
                    reviewedAt: review?.reviewedAt)
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }
}

extension Session {
    /// The observer's handle: the one named (checked against the staff list), else the acting member of staff.
    func observer(named: String?) throws(EvidenceError) -> String {
        if let named {
            return try library.resolveStaff(named, in: library.staffMembers(), field: Field("observer")).handle
        }
        guard let member = actor.staffMember else {
            throw EvidenceError(
                .usage,
                "An observation needs an observer from the staff list, and \(actor.auditName) is not on it.",
                field: Field("observer"), remedy: .sayWhoIsActing)
        }
        return member.handle
    }
}

extension ResolvedObservation {
    /// The row for a checked observation; its note and source annotation are sealed, its own terms stored as tokens.
    func record(
        moment: MomentID, occurredAt: Date, observer: String, now: Date, vocabulary: SchoolVocabulary, master: MasterKey
    ) throws -> ObservationRecord {
        let context = try ObservationContext.seal(
            activity: activity, setting: setting, equipment: equipment, state: state, master: master)
        var record = ObservationRecord(
            momentID: moment, pupilID: pupil.id, occurredAt: occurredAt, areas: areas, intent: intent, prompt: prompt,
            contextSealed: context.sealed, activityTag: context.activityTag, settingTag: context.settingTag, outcome: outcome,
            noteSealed: try note.map { try master.seal($0, context: "observation.note") },
            sourceSealed: try source.map { try $0.sealed(master: master) }, observer: observer, createdAt: now,
            responses: responses.map(vocabulary.stored), staffIDs: staffIDs)
        record.cues = cues
        record.cueNovelty = cueNovelty
        record.supports = supports
        record.reinforcement = reinforcement
        return record
    }
}
