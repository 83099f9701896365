public import Catalogue
public import Foundation
internal import GRDB
internal import Vault

/// What `tag` stored.
public struct TagResult: Sendable, Codable {
    /// The moment (`m12`), new or shared with earlier tags of the same range.
    public var moment: String
    /// The observation (`o34`).
    public var observation: String
}

extension Library {
    /// Loads what checking drafts needs, once.
    func taggingContext() throws(EvidenceError) -> TaggingContext {
        let directory = try pupilDirectory()
        let staff = try staffMembers()
        let responses = Set(try responseTerms())
        do {
            let consent = try catalogue.read { db in try consentEntries(db) }
            return TaggingContext(directory: directory, staff: staff, responses: responses, consent: consent, timeZone: timeZone)
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Checks a range against an asset: videos take an optional range inside their duration, photos none.
    func checkedRange(_ asset: AssetRecord, from: Int64?, to: Int64?) throws(EvidenceError) -> (start: Int64?, end: Int64?) {
        guard from != nil || to != nil else { return (nil, nil) }
        guard asset.kind == "video" else {
            throw EvidenceError(.usage, "Asset \(asset.id.prefix(8)) is a photo: tag it without --from/--to.")
        }
        let start = from ?? 0
        let durationMs = asset.durationSeconds.map { Int64(($0 * 1000).rounded(.down)) }
        guard let end = to ?? durationMs else {
            throw EvidenceError(.usage, "The length of video \(asset.id.prefix(8)) is unknown: give --to as well.")
        }
        guard end > start else {
            throw EvidenceError(.usage, "--to (\(TimeCode.format(end))) must come after --from (\(TimeCode.format(start))).")
        }
        if let durationMs, end > durationMs + 1 {
            throw EvidenceError(
                .usage,
                "--to \(TimeCode.format(end)) is past the end of video \(asset.id.prefix(8)), which lasts \(TimeCode.format(durationMs))."
            )
        }
        return (start, end)
    }

    /// Tags a moment of an asset (a video range, or the whole photo or video) with one pupil's observation.
    public func tag(
        asset: AssetRecord, from: Int64? = nil, to: Int64? = nil, draft: ObservationDraft
    ) throws(EvidenceError) -> TagResult {
        let range = try checkedRange(asset, from: from, to: to)
        let occurredAt = asset.capturedAt.addingTimeInterval(Double(range.start ?? 0) / 1000)
        let context = try taggingContext()
        let observation = try context.resolve(draft, day: CalendarDate.day(of: occurredAt, in: timeZone), library: self)
        do {
            return try catalogue.write { db in
                let moment = try momentID(db, assetID: asset.id, start: range.start, end: range.end, occurredAt: occurredAt)
                let id = try insertObservation(db, momentID: moment, occurredAt: occurredAt, observation)
                try addAppearances(db, assetID: asset.id, pupils: [observation.pupil] + observation.also)
                try catalogue.appendAudit(
                    db, actor: actor, action: "tag", assetID: asset.id, pupilID: observation.pupil.id, detail: "o\(id)")
                return TagResult(moment: "m\(moment)", observation: "o\(id)")
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// The moment with exactly this range on the asset, made if new.
    func momentID(
        _ db: Database, assetID: String, start: Int64?, end: Int64?, occurredAt: Date, importKey: Data? = nil
    ) throws -> Int64 {
        if importKey == nil,
            let existing = try Int64.fetchOne(
                db, sql: "SELECT id FROM moment WHERE asset_id = ? AND start_ms IS ? AND end_ms IS ? ORDER BY id LIMIT 1",
                arguments: [assetID, start, end])
        {
            return existing
        }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO moment (asset_id, start_ms, end_ms, occurred_at, import_key, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        )
        try statement.execute(arguments: [assetID, start, end, Timestamp.text(occurredAt), importKey, Timestamp.text(Date()), actor])
        return db.lastInsertedRowID
    }

    /// Stores one checked observation; its note and source annotation are sealed.
    func insertObservation(
        _ db: Database, momentID: Int64, occurredAt: Date, _ observation: ResolvedObservation, observer: String? = nil
    ) throws -> Int64 {
        let note = try observation.note.map { try master.seal($0, context: "observation.note") }
        let source = try observation.source.map { try $0.sealed(master: master) }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO observation (moment_id, pupil_id, occurred_at, areas, intent, prompt, activity, setting,
                    equipment, outcome, note_sealed, source_sealed, observer, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        try statement.execute(arguments: [
            momentID, observation.pupil.id, Timestamp.text(occurredAt), observation.areas, observation.intent?.rawValue,
            observation.prompt?.rawValue, observation.activity, observation.setting, observation.equipment,
            observation.outcome, note, source, observer ?? actor, Timestamp.text(Date()),
        ])
        let id = db.lastInsertedRowID
        let response = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO observation_response (observation_id, response) VALUES (?, ?)")
        for term in observation.responses { try response.execute(arguments: [id, term]) }
        let staff = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO observation_staff (observation_id, staff_id) VALUES (?, ?)")
        for member in observation.staffIDs { try staff.execute(arguments: [id, member]) }
        return id
    }

    func addAppearances(_ db: Database, assetID: String, pupils: [Pupil]) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO appearance (asset_id, pupil_id, added_at, added_by) VALUES (?, ?, ?, ?)")
        for pupil in pupils { try statement.execute(arguments: [assetID, pupil.id, Timestamp.text(Date()), actor]) }
    }

    /// Parses `o34` (or `34`) into an observation row id.
    static func observationID(_ text: String) throws(EvidenceError) -> Int64 {
        let digits = text.lowercased().hasPrefix("o") ? String(text.dropFirst()) : text
        guard let id = Int64(digits), id > 0 else {
            throw EvidenceError(.usage, "\"\(text)\" is not an observation id (like o34; see `evidence moments ASSET`).")
        }
        return id
    }

    /// Removes observations from the current view; the rows stay, stamped with who removed them and when.
    public func untag(_ observationIDs: [String]) throws(EvidenceError) -> Int {
        var ids: [Int64] = []
        for text in observationIDs { ids.append(try Self.observationID(text)) }
        do {
            return try catalogue.write { db in
                for id in ids {
                    guard let row = try Row.fetchOne(
                        db, sql: "SELECT pupil_id, replaced_by, removed_at, (SELECT asset_id FROM moment WHERE id = moment_id) AS asset_id FROM observation WHERE id = ?",
                        arguments: [id])
                    else { throw EvidenceError(.usage, "There is no observation o\(id).") }
                    guard (row["replaced_by"] as Int64?) == nil, (row["removed_at"] as Date?) == nil else {
                        throw EvidenceError(.usage, "Observation o\(id) was already edited or removed; see `evidence moments`.")
                    }
                    try db.execute(
                        sql: "UPDATE observation SET removed_at = ?, removed_by = ? WHERE id = ?", arguments: [Date(), actor, id])
                    try catalogue.appendAudit(
                        db, actor: actor, action: "untag", assetID: row["asset_id"], pupilID: row["pupil_id"], detail: "o\(id)")
                }
                return ids.count
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }
}
