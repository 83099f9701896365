import Foundation
import GRDB

extension SQLiteTransaction {
    func momentID(assetID: AssetID, startMs: Int64?, endMs: Int64?) throws -> MomentID? {
        try MomentID.fetchOne(
            db, sql: "SELECT id FROM moment WHERE asset_id = ? AND start_ms IS ? AND end_ms IS ? ORDER BY id LIMIT 1",
            arguments: [assetID, startMs, endMs])
    }

    func insertMoment(_ record: MomentRecord) throws -> MomentID {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO moment (id, asset_id, start_ms, end_ms, occurred_at, import_key, created_at, created_by, row_mac)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        let occurred = Timestamp.text(record.occurredAt)
        // The row is written whole, MAC included: its id is chosen here, inside the write transaction, and the MAC
        // computed from the values bound (what SQLite stores for them).
        let id = MomentID(try nextID("moment"))
        let mac = macs.mac(
            table: "moment", id: id.databaseValue,
            values: [
                "asset_id": record.assetID.databaseValue, "start_ms": record.startMs.databaseValue,
                "end_ms": record.endMs.databaseValue, "occurred_at": occurred.databaseValue,
                "import_key": record.importKey.databaseValue,
            ])
        try statement.execute(arguments: [
            id, record.assetID, record.startMs, record.endMs, occurred, record.importKey, Timestamp.text(record.createdAt),
            record.createdBy, mac,
        ])
        return id
    }

    /// The next row id of `table` (ids are chosen before insert, so a row is written whole with its MAC).
    func nextID(_ table: String) throws -> Int64 {
        (try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(id), 0) + 1 FROM \(table)"))) ?? 1
    }

    func moment(id: MomentID) throws -> MomentRecord? {
        try checkedRows("moment", "SELECT * FROM moment WHERE id = ?", [id]).first.map { try MomentRecord(row: $0) }
    }

    func moments(assetID: AssetID) throws -> [MomentRecord] {
        try checkedRows("moment", "SELECT * FROM moment WHERE asset_id = ? ORDER BY start_ms, end_ms, id", [assetID])
            .map { try MomentRecord(row: $0) }
    }

    func momentExists(importKey: Data) throws -> Bool {
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM moment WHERE import_key = ?")
        return try Bool.fetchOne(statement, arguments: [importKey]) == true
    }

    func insertObservation(_ record: ObservationRecord) throws -> ObservationID {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO observation (id, moment_id, pupil_id, occurred_at, areas, intent, prompt, context_sealed,
                    activity_tag, setting_tag, outcome, note_sealed, source_sealed, observer, created_at, cues, cue_novelty,
                    supports, reinforcement, coder, origin, row_mac)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        let occurred = Timestamp.text(record.occurredAt)
        let id = ObservationID(try nextID("observation"))
        // The MAC from the values just bound (a new observation is current: no replaced_by or removed_at yet).
        let values: [String: DatabaseValue] = [
            "moment_id": record.momentID.databaseValue, "pupil_id": record.pupilID.databaseValue,
            "occurred_at": occurred.databaseValue, "areas": record.areas.databaseValue,
            "intent": record.intent.databaseValue, "prompt": record.prompt.databaseValue,
            "context_sealed": record.contextSealed.databaseValue, "activity_tag": record.activityTag.databaseValue,
            "setting_tag": record.settingTag.databaseValue, "outcome": record.outcome.databaseValue,
            "note_sealed": record.noteSealed.databaseValue, "source_sealed": record.sourceSealed.databaseValue,
            "observer": record.observer.databaseValue,
            "responses": Array(Set(record.responses)).sorted().joined(separator: ",").databaseValue,
            "staff_ids": Array(Set(record.staffIDs)).map { String($0.rawValue) }.sorted().joined(separator: ",").databaseValue,
            "cues": Self.list(record.cues).databaseValue, "cue_novelty": record.cueNovelty.databaseValue,
            "supports": Self.list(record.supports).databaseValue, "reinforcement": record.reinforcement.databaseValue,
            "coder": Self.coder(record.coding).databaseValue, "origin": Self.origin(record.origin).databaseValue,
        ]
        let mac = macs.mac(table: "observation", id: id.databaseValue, values: values)
        try statement.execute(arguments: [
            id, record.momentID, record.pupilID, occurred, record.areas, record.intent, record.prompt, record.contextSealed,
            record.activityTag, record.settingTag, record.outcome, record.noteSealed, record.sourceSealed, record.observer,
            Timestamp.text(record.createdAt), Self.list(record.cues), record.cueNovelty, Self.list(record.supports),
            record.reinforcement, Self.coder(record.coding), Self.origin(record.origin), mac,
        ])
        let response = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO observation_response (observation_id, response) VALUES (?, ?)")
        for term in record.responses { try response.execute(arguments: [id, term]) }
        let staff = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO observation_staff (observation_id, staff_id) VALUES (?, ?)")
        for member in record.staffIDs { try staff.execute(arguments: [id, member]) }
        return id
    }

    /// A closed-set list as stored: names in the set's own order, joined with `,`; NULL when empty.
    static func list<T: RawRepresentable & CaseIterable & Equatable>(_ values: [T]) -> String? where T.RawValue == String {
        let ordered = T.allCases.filter { values.contains($0) }.map(\.rawValue)
        return ordered.isEmpty ? nil : ordered.joined(separator: ",")
    }

    /// The `coder` column: NULL for the evidence (first coding), `second` for a second coding.
    static func coder(_ coding: Coding) -> String? { coding == .first ? nil : coding.rawValue }

    /// The `origin` column: NULL for what staff saw on the media, `family` for an observation from home.
    static func origin(_ origin: Origin) -> String? { origin == .media ? nil : origin.rawValue }

    func markReplaced(_ id: ObservationID, by newer: ObservationID) throws {
        try db.execute(sql: "UPDATE observation SET replaced_by = ? WHERE id = ?", arguments: [newer, id])
        try authenticate("observation", id: id)
    }

    func markRemoved(_ id: ObservationID, at: Date, by: String) throws {
        try db.execute(sql: "UPDATE observation SET removed_at = ?, removed_by = ? WHERE id = ?", arguments: [at, by, id])
        try authenticate("observation", id: id)
    }

    func currentObservationIDs(assetID: AssetID) throws -> [ObservationID] {
        try ObservationID.fetchAll(
            db,
            sql: """
                SELECT o.id FROM observation o JOIN moment m ON m.id = o.moment_id
                WHERE m.asset_id = ? AND o.replaced_by IS NULL AND o.removed_at IS NULL AND o.coder IS NULL ORDER BY o.id
                """,
            arguments: [assetID])
    }

    func existingObservationIDs(_ ids: [ObservationID]) throws -> Set<ObservationID> {
        var found: Set<ObservationID> = []
        try Self.chunks(ids) { marks, arguments in
            let rows = try ObservationID.fetchAll(
                db, sql: "SELECT o.id FROM observation o JOIN moment m ON m.id = o.moment_id WHERE o.id IN (\(marks))",
                arguments: arguments)
            found.formUnion(rows)
        }
        return found
    }

    func currentCodings(momentID: MomentID) throws -> [ObservationDetail] {
        let ids = try ObservationID.fetchAll(
            db, sql: "SELECT id FROM observation WHERE moment_id = ? AND replaced_by IS NULL AND removed_at IS NULL ORDER BY id",
            arguments: [momentID])
        return try observationDetails(ids: ids).sorted { $0.observation.id < $1.observation.id }
    }

    func observationDetails(ids: [ObservationID]) throws -> [ObservationDetail] {
        var details: [ObservationDetail] = []
        details.reserveCapacity(ids.count)
        try Self.chunks(ids) { marks, arguments in
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT o.*, m.asset_id, m.start_ms, m.end_ms, a.kind, a.utc_offset_seconds,
                        (SELECT group_concat(response, ',') FROM observation_response r WHERE r.observation_id = o.id) AS responses,
                        (SELECT group_concat(staff_id, ',') FROM observation_staff s WHERE s.observation_id = o.id) AS staff_ids
                    FROM observation o JOIN moment m ON m.id = o.moment_id LEFT JOIN asset a ON a.id = m.asset_id
                    WHERE o.id IN (\(marks))
                    """,
                arguments: arguments
            )
            var layout = RowAuthentication.StatementLayout("observation")
            while let row = try cursor.next() {
                try macs.check(row: row, layout: layout.of(row))
                details.append(try Self.detail(row))
            }
        }
        return details
    }

    func observationFacet(_ facet: ObservationFacet, ids: [ObservationID]) throws -> [ObservationFacetValue] {
        let columns =
            switch facet {
            case .areas: "o.id, o.areas"
            case .context: "o.context_sealed"
            case .occurredAt: "o.occurred_at"
            case .observer: "o.observer"
            case .pupil: "o.pupil_id"
            case .responses: "(SELECT group_concat(response, ',') FROM observation_response r WHERE r.observation_id = o.id)"
            case .prompt: "o.id, o.prompt"
            }
        var values: [ObservationFacetValue] = []
        values.reserveCapacity(ids.count)
        try Self.chunks(ids) { marks, arguments in
            let rows = try Row.fetchCursor(db, sql: "SELECT \(columns) FROM observation o WHERE o.id IN (\(marks))", arguments: arguments)
            while let row = try rows.next() {
                switch facet {
                case .areas:
                    let areas = EngagementAreas(rawValue: row[1] as Int)
                    guard areas.isValid else { throw Self.corrupt(ObservationID(row[0] as Int64), "areas") }
                    values.append(.areas(areas))
                case .context: values.append(.context(sealed: row[0]))
                case .occurredAt: values.append(.occurredAt(row[0]))
                case .observer: values.append(.observer(row[0]))
                case .pupil: values.append(.pupil(PupilID(row[0] as Int64)))
                case .responses: values.append(.responses(((row[0] as String?) ?? "").split(separator: ",").map(String.init)))
                case .prompt:
                    let text = row[1] as String?
                    let prompt = text.flatMap(PromptLevel.init(rawValue:))
                    if text != nil, prompt == nil { throw Self.corrupt(ObservationID(row[0] as Int64), "prompt") }
                    values.append(.prompt(prompt))
                }
            }
        }
        return values
    }

    /// A closed-set column read as text and checked here (specialised, unlike a generic conversion per row): an
    /// unknown value is an integrity error, never a default.
    private static func closedValue<T: RawRepresentable>(_ row: Row, _ column: String, _ id: ObservationID) throws -> T?
    where T.RawValue == String {
        guard let text = row[column] as String? else { return nil }
        guard let value = T(rawValue: text) else { throw corrupt(id, column) }
        return value
    }

    /// A closed-set list column (`a,b`), every name checked.
    private static func closedList<T: RawRepresentable>(_ row: Row, _ column: String, _ id: ObservationID) throws -> [T]
    where T.RawValue == String {
        try ((row[column] as String?) ?? "").split(separator: ",").map { name in
            guard let value = T(rawValue: String(name)) else { throw corrupt(id, column) }
            return value
        }
    }

    /// The areas bit set; bits beyond the five areas are corrupt.
    private static func areas(_ row: Row, _ id: ObservationID) throws -> EngagementAreas {
        let areas = EngagementAreas(rawValue: row["areas"] as Int)
        guard areas.isValid else { throw corrupt(id, "areas") }
        return areas
    }

    private static func corrupt(_ id: ObservationID, _ column: String) -> CatalogueError {
        CatalogueError(code: .corruptRow, message: "Observation \(id) holds a value this version does not know in its \(column) column.")
    }

    /// Decodes one joined row, fail-closed: an unknown kind, intent, prompt or area bit is an integrity error.
    private static func detail(_ row: Row) throws -> ObservationDetail {
        let id = ObservationID(row["id"] as Int64)
        func closed<T: RawRepresentable>(_ column: String, _: T.Type) throws -> T? where T.RawValue == String {
            try Self.closedValue(row, column, id)
        }
        let kind = try closed("kind", AssetKind.self)
        guard kind != nil || (row["asset_id"] as String?) == nil else { throw Self.corrupt(id, "kind") }
        let areas = try Self.areas(row, id)
        let responses = ((row["responses"] as String?) ?? "").split(separator: ",").map(String.init).sorted()
        let staff = ((row["staff_ids"] as String?) ?? "").split(separator: ",").compactMap { Int64($0) }.map(StaffID.init)
        let observation = ObservationRecord(
            id: id, momentID: MomentID(row["moment_id"] as Int64), pupilID: PupilID(row["pupil_id"] as Int64),
            occurredAt: row["occurred_at"], areas: areas, intent: try closed("intent", Intent.self),
            prompt: try closed("prompt", PromptLevel.self), contextSealed: row["context_sealed"],
            activityTag: row["activity_tag"], settingTag: row["setting_tag"], outcome: row["outcome"], noteSealed: row["note_sealed"],
            sourceSealed: row["source_sealed"], observer: row["observer"], createdAt: row["created_at"],
            replacedBy: (row["replaced_by"] as Int64?).map(ObservationID.init), removedAt: row["removed_at"],
            removedBy: row["removed_by"], responses: responses, staffIDs: staff)
        var decoded = observation
        decoded.cues = try Self.closedList(row, "cues", id)
        decoded.cueNovelty = try closed("cue_novelty", CueNovelty.self)
        decoded.supports = try Self.closedList(row, "supports", id)
        decoded.reinforcement = try closed("reinforcement", Reinforcement.self)
        switch row["coder"] as String? {
        case nil: decoded.coding = .first
        case "second": decoded.coding = .second
        default: throw Self.corrupt(id, "coder")
        }
        switch row["origin"] as String? {
        case nil: decoded.origin = .media
        case "family": decoded.origin = .family
        default: throw Self.corrupt(id, "origin")
        }
        return ObservationDetail(
            observation: decoded, assetID: (row["asset_id"] as String?).map { AssetID($0) }, assetKind: kind,
            utcOffsetSeconds: row["utc_offset_seconds"], startMs: row["start_ms"], endMs: row["end_ms"])
    }

    func sealedNotes(ids: [ObservationID]) throws -> [ObservationID: Data] {
        try sealedColumn("note_sealed", ids: ids)
    }

    func sealedSources(ids: [ObservationID]) throws -> [ObservationID: Data] {
        try sealedColumn("source_sealed", ids: ids)
    }

    private func sealedColumn(_ column: String, ids: [ObservationID]) throws -> [ObservationID: Data] {
        var found: [ObservationID: Data] = [:]
        try Self.chunks(ids) { marks, arguments in
            let rows = try Row.fetchCursor(
                db, sql: "SELECT id, \(column) FROM observation WHERE \(column) IS NOT NULL AND id IN (\(marks))",
                arguments: arguments)
            while let row = try rows.next() { found[ObservationID(row["id"] as Int64)] = row[column] }
        }
        return found
    }

    /// One statement over the partial indexes of current observations.
    func observationIDs(matching filter: ObservationFilter) throws -> [ObservationID] {
        var clauses = ["o.replaced_by IS NULL", "o.removed_at IS NULL"]
        switch filter.coding {
        case .first?: clauses.append("o.coder IS NULL")
        case .second?: clauses.append("o.coder = 'second'")
        case nil: break
        }
        var arguments: [any DatabaseValueConvertible] = []
        func anyOf(_ values: [any DatabaseValueConvertible]) -> String {
            arguments += values
            return values.map { _ in "?" }.joined(separator: ",")
        }
        func equals(_ column: String, _ value: (any DatabaseValueConvertible)?) {
            guard let value else { return }
            clauses.append("\(column) = ?")
            arguments.append(value)
        }
        if !filter.pupils.isEmpty { clauses.append("o.pupil_id IN (\(anyOf(filter.pupils)))") }
        if !filter.areas.isEmpty {
            let mask = filter.areas.rawValue
            clauses.append(filter.allAreas ? "(o.areas & \(mask)) = \(mask)" : "(o.areas & \(mask)) != 0")
        }
        if !filter.responses.isEmpty {
            clauses.append(
                "EXISTS (SELECT 1 FROM observation_response r WHERE r.observation_id = o.id AND r.response IN (\(anyOf(filter.responses))))"
            )
        }
        equals("o.intent", filter.intent)
        equals("o.prompt", filter.prompt)
        equals("o.activity_tag", filter.activity)
        equals("o.setting_tag", filter.setting)
        for (list, negate) in [(filter.withStaff, false), (filter.withoutStaff, true)] where !list.isEmpty {
            clauses.append(
                "\(negate ? "NOT " : "")EXISTS (SELECT 1 FROM observation_staff s WHERE s.observation_id = o.id AND s.staff_id IN (\(anyOf(list))))"
            )
        }
        equals("o.observer", filter.observer)
        equals("o.outcome", filter.outcome)
        if let start = filter.occurredFrom {
            clauses.append("o.occurred_at >= ?")
            arguments.append(start)
        }
        if let end = filter.occurredBefore {
            clauses.append("o.occurred_at < ?")
            arguments.append(end)
        }
        var join = ""
        if let kind = filter.assetKind {
            join = "JOIN moment m ON m.id = o.moment_id JOIN asset a ON a.id = m.asset_id"
            clauses.append("a.kind = ?")
            arguments.append(kind)
        }
        let order: String
        switch filter.order {
        case .time: order = "o.occurred_at, o.id"
        case .newest: order = "o.occurred_at DESC, o.id DESC"
        case .pupil: order = "o.pupil_id, o.occurred_at, o.id"
        case .asset:
            if join.isEmpty { join = "JOIN moment m ON m.id = o.moment_id" }
            order = "m.asset_id, m.start_ms, o.id"
        }
        let limit = filter.limit.map { " LIMIT \($0)" } ?? ""
        let sql = "SELECT o.id FROM observation o \(join) WHERE \(clauses.joined(separator: " AND ")) ORDER BY \(order)\(limit)"
        return try ObservationID.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
    }

    /// Row ids fed to `… WHERE id IN (…)` in chunks that stay under SQLite's limit on bound variables.
    static func chunks(
        _ ids: [ObservationID], size: Int = 900, _ body: (_ marks: String, _ arguments: StatementArguments) throws -> Void
    ) rethrows {
        for start in stride(from: 0, to: ids.count, by: size) {
            let chunk = ids[start..<min(start + size, ids.count)]
            try body(chunk.map { _ in "?" }.joined(separator: ","), StatementArguments(chunk.map(\.rawValue)))
        }
    }
}
