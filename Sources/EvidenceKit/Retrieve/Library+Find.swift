public import Foundation
internal import Catalogue
internal import GRDB
internal import Vault

extension Library {
    /// The current observations matching `query`, in its order.
    public func find(_ query: FindQuery) throws(EvidenceError) -> [ObservationView] {
        let ids = try matchingObservationIDs(query)
        return try observationViews(ids: ids)
    }

    /// Counts of the matching observations by `grouping`. Areas and (for `area`) all five are listed even at zero,
    /// because gaps matter as much as volume.
    public func findGroups(_ query: FindQuery, by grouping: FindGrouping) throws(EvidenceError) -> [FindGroup] {
        var unlimited = query
        unlimited.limit = nil
        let ids = try matchingObservationIDs(unlimited)
        var counts: [String: Int] = [:]
        if grouping == .area { for area in EngagementArea.allCases { counts[area.rawValue] = 0 } }
        let directory = grouping == .pupil ? try pupilDirectory() : nil
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        do {
            try catalogue.read { db in
                try IDChunks.forEach(ids) { marks, arguments in
                    let rows = try Row.fetchCursor(
                        db,
                        sql: """
                            SELECT o.id, o.areas, o.setting, o.activity, o.occurred_at, o.observer, o.pupil_id, o.prompt,
                                (SELECT group_concat(response, ',') FROM observation_response r WHERE r.observation_id = o.id) AS responses
                            FROM observation o WHERE o.id IN (\(marks))
                            """,
                        arguments: arguments)
                    while let row = try rows.next() {
                        switch grouping {
                        case .area:
                            for area in EngagementArea.areas(in: row["areas"]) { counts[area.rawValue, default: 0] += 1 }
                        case .context:
                            let setting: String = row["setting"] ?? "(no setting)"
                            let activity: String = row["activity"] ?? "(no activity)"
                            counts["\(setting) / \(activity)", default: 0] += 1
                        case .month:
                            let day = CalendarDate.day(of: row["occurred_at"], calendar: calendar)
                            counts[String(day.prefix(7)), default: 0] += 1
                        case .observer:
                            counts[row["observer"], default: 0] += 1
                        case .pupil:
                            counts[directory?.pupil(id: row["pupil_id"])?.handle ?? "?", default: 0] += 1
                        case .response:
                            let terms = ((row["responses"] as String?) ?? "").split(separator: ",")
                            if terms.isEmpty { counts["(none)", default: 0] += 1 }
                            for term in terms { counts[String(term), default: 0] += 1 }
                        case .prompt:
                            counts[row["prompt"] ?? "(not recorded)", default: 0] += 1
                        }
                    }
                }
            }
        } catch {
            throw EvidenceError.from(error)
        }
        let groups = counts.map { FindGroup(key: $0.key, count: $0.value) }
        if grouping == .area {
            return EngagementArea.allCases.map { area in groups.first { $0.key == area.rawValue }! }
        }
        if grouping == .month { return groups.sorted { $0.key < $1.key } }
        return groups.sorted { ($1.count, $0.key) < ($0.count, $1.key) }
    }

    /// Assets that nobody has tagged yet (no current observation), oldest first.
    public func untaggedAssets(_ query: FindQuery) throws(EvidenceError) -> [AssetView] {
        let range = try dayRange(query)
        do {
            let ids = try catalogue.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT a.id FROM asset a
                        WHERE NOT EXISTS (SELECT 1 FROM moment m JOIN observation o ON o.moment_id = m.id
                                          WHERE m.asset_id = a.id AND o.replaced_by IS NULL AND o.removed_at IS NULL)
                          AND (?1 IS NULL OR a.kind = ?1) AND (?2 IS NULL OR a.captured_at >= ?2) AND (?3 IS NULL OR a.captured_at < ?3)
                        ORDER BY a.captured_at, a.id
                        """,
                    arguments: [query.assetKind, range.start, range.end])
            }
            var views: [AssetView] = []
            for id in ids.prefix(query.limit ?? Int.max) { views.append(try view(of: catalogue.asset(id: id))) }
            return views
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// The UTC instants that `since` and `until` name (until is inclusive of its whole last day).
    private func dayRange(_ query: FindQuery) throws(EvidenceError) -> (start: Date?, end: Date?) {
        let start = try query.since.map { (text) throws(EvidenceError) in
            CalendarDate.startOfDay(try CalendarDate.range(text, option: "--since").first, in: timeZone)
        }
        let end = try query.until.map { (text) throws(EvidenceError) in
            CalendarDate.startOfDay(try CalendarDate.range(text, option: "--until").last, in: timeZone).addingTimeInterval(86_400)
        }
        return (start, end)
    }

    /// The SQL behind ``find(_:)``: one statement over the partial indexes of current observations.
    func matchingObservationIDs(_ query: FindQuery) throws(EvidenceError) -> [Int64] {
        var clauses = ["o.replaced_by IS NULL", "o.removed_at IS NULL"]
        var arguments: [any DatabaseValueConvertible] = []
        func anyOf(_ values: [any DatabaseValueConvertible]) -> String {
            arguments += values
            return values.map { _ in "?" }.joined(separator: ",")
        }
        if !query.pupils.isEmpty {
            let directory = try pupilDirectory()
            var ids: [any DatabaseValueConvertible] = []
            for text in query.pupils { ids.append(try directory.resolve(text).id) }
            clauses.append("o.pupil_id IN (\(anyOf(ids)))")
        }
        if !query.areas.isEmpty {
            var mask = 0
            for text in query.areas { mask |= try EngagementArea(parsing: text).bit }
            clauses.append(query.allAreas ? "(o.areas & \(mask)) = \(mask)" : "(o.areas & \(mask)) != 0")
        }
        if !query.responses.isEmpty {
            let known = Set(try responseTerms())
            let terms = try validatedResponses(query.responses, known: known)
            clauses.append(
                "EXISTS (SELECT 1 FROM observation_response r WHERE r.observation_id = o.id AND r.response IN (\(anyOf(terms))))")
        }
        if let intent = query.intent {
            let value: Intent = try parseChoice(intent, option: "--intent")
            clauses.append("o.intent = ?")
            arguments.append(value.rawValue)
        }
        if let prompt = query.prompt {
            let value: PromptLevel = try parseChoice(prompt, option: "--prompt")
            clauses.append("o.prompt = ?")
            arguments.append(value.rawValue)
        }
        for (column, value) in [("activity", query.activity), ("setting", query.setting)] {
            if let value {
                clauses.append("o.\(column) = ?")
                arguments.append(value.trimmingCharacters(in: .whitespaces).lowercased())
            }
        }
        if !query.withStaff.isEmpty || !query.withoutStaff.isEmpty {
            let staff = try staffMembers()
            for (list, negate, option) in [(query.withStaff, false, "--with-staff"), (query.withoutStaff, true, "--without-staff")]
            where !list.isEmpty {
                var ids: [any DatabaseValueConvertible] = []
                for text in list { ids.append(try resolveStaff(text, in: staff, option: option).id) }
                clauses.append(
                    "\(negate ? "NOT " : "")EXISTS (SELECT 1 FROM observation_staff s WHERE s.observation_id = o.id AND s.staff_id IN (\(anyOf(ids))))")
            }
        }
        if let observer = query.observer {
            clauses.append("o.observer = ?")
            arguments.append(observer)
        }
        if let outcome = query.outcome {
            clauses.append("o.outcome = ?")
            arguments.append(outcome)
        }
        let range = try dayRange(query)
        if let start = range.start {
            clauses.append("o.occurred_at >= ?")
            arguments.append(start)
        }
        if let end = range.end {
            clauses.append("o.occurred_at < ?")
            arguments.append(end)
        }
        var join = ""
        if let kind = query.assetKind {
            guard kind == "photo" || kind == "video" else {
                throw EvidenceError(.usage, "--asset-kind is photo or video, not \"\(kind)\".")
            }
            join = "JOIN moment m ON m.id = o.moment_id JOIN asset a ON a.id = m.asset_id"
            clauses.append("a.kind = ?")
            arguments.append(kind)
        }
        let order: String
        switch query.sort {
        case .time: order = "o.occurred_at, o.id"
        case .newest: order = "o.occurred_at DESC, o.id DESC"
        case .pupil: order = "o.pupil_id, o.occurred_at, o.id"
        case .asset:
            if join.isEmpty { join = "JOIN moment m ON m.id = o.moment_id" }
            order = "m.asset_id, m.start_ms, o.id"
        }
        // The note filter runs after SQL (notes are sealed), so the limit must too when it is set.
        let limit = query.text == nil ? query.limit.map { " LIMIT \($0)" } ?? "" : ""
        let sql = "SELECT o.id FROM observation o \(join) WHERE \(clauses.joined(separator: " AND ")) ORDER BY \(order)\(limit)"
        do {
            var ids = try catalogue.read { db in try Int64.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)) }
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
    private func notesMatching(_ ids: [Int64], words text: String) throws -> [Int64] {
        let words = text.split(separator: " ").map { $0.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
        guard !words.isEmpty else { return ids }
        var matching: Set<Int64> = []
        try catalogue.read { db in
            // Only the candidates' notes are read and opened, in chunks under SQLite's variable limit.
            try IDChunks.forEach(ids) { marks, arguments in
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT id, note_sealed FROM observation WHERE note_sealed IS NOT NULL AND id IN (\(marks))",
                    arguments: arguments)
                while let row = try rows.next() {
                    guard let sealed = row["note_sealed"] as Data? else { continue }
                    let note = try master.open(sealed, context: "observation.note")
                        .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                    if words.allSatisfy({ note.contains($0) }) { matching.insert(row["id"]) }
                }
            }
        }
        return ids.filter { matching.contains($0) }
    }
}
