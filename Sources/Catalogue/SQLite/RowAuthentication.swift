import Foundation
import GRDB

/// Row authentication: every row that carries meaning holds `row_mac`, a keyed MAC over its table, its id and its
/// meaning-bearing columns in a canonical encoding (Docs/row-authentication.md). Sealed values are covered as
/// bytes, so a sealed profile or name moved to another row fails there. Written with every insert and update,
/// checked on every read that uses the row.
struct RowAuthentication: Sendable {
    let mac: @Sendable ([UInt8]) -> Data

    /// The authenticated columns of each table, in canonical order (after the table name and the row's id).
    static let columns: [String: [String]] = [
        "asset": [
            "kind", "content_type", "byte_size", "captured_at", "utc_offset_seconds", "capture_time_source", "make",
            "model", "width", "height", "rotation", "mirrored", "duration_seconds", "video_codec", "audio_codec",
            "frame_rate", "gps_sealed", "original_name_sealed", "raw_metadata_sealed", "content_hash", "partial_hash",
            "wrapped_key", "batch_id", "ingested_at",
        ],
        "pupil": ["lookup", "upn_lookup", "profile_sealed", "year_group", "class_name"],
        "staff": ["lookup", "profile_sealed"],
        "appearance": ["added_at", "added_by"],
        "appearance_review": ["none_else", "reviewed_at", "reviewed_by"],
        "consent": ["pupil_id", "purpose", "decision", "effective_from", "recorded_at", "recorded_by", "note_sealed"],
        "moment": ["asset_id", "start_ms", "end_ms", "occurred_at", "import_key"],
        "judgement": ["pupil_id", "area", "period", "text_sealed", "evidence", "recorded_at", "recorded_by"],
        "observation": [
            "moment_id", "pupil_id", "occurred_at", "areas", "intent", "prompt", "context_sealed", "activity_tag", "setting_tag",
            "outcome", "note_sealed", "source_sealed", "observer", "replaced_by", "removed_at", "removed_by",
            // Not columns: the observation's responses and staff, sorted (from observation_response/_staff).
            "responses", "staff_ids",
        ],
    ]

    /// Columns added after a table's MACs were first computed (schema v7 on), encoded after the others, each as its
    /// name then its value, and only when not NULL: a row written before they existed keeps its MAC, and setting or
    /// clearing one of them changes it. A later version appends here; it never edits ``columns``.
    static let laterColumns: [String: [String]] = [
        "observation": ["cues", "cue_novelty", "supports", "reinforcement", "coder", "origin"],
    ]

    /// The columns that identify a row (its `id`, or the key of a table without one), joined into its identity.
    static let keys: [String: [String]] = ["appearance": ["asset_id", "pupil_id"], "appearance_review": ["asset_id"]]

    /// A row's identity from its key values (for a write that has not read the row).
    static func identity(_ values: [DatabaseValue]) -> DatabaseValue {
        values.map { describe($0.storage) }.joined(separator: "\u{1F}").databaseValue
    }

    /// A key value as the identity spells it: exactly what `String(describing:)` prints for GRDB's storage enum
    /// (`int64(5)`, `string("a")`), which the stored MACs were made with, without the runtime's reflection (it
    /// was a fifth of a broad `find`).
    static func describe(_ storage: DatabaseValue.Storage) -> String {
        switch storage {
        case .null: "null"
        case .int64(let n): "int64(\(n))"
        case .double(let d): "double(\(d.debugDescription))"
        case .string(let s): "string(\(quoted(s)))"
        case .blob(let data): "blob(\(data.debugDescription))"
        }
    }

    /// `s.debugDescription`, without its per-character escaping when there is nothing to escape (ids and handles):
    /// printable ASCII other than `"`, `'` and `\\` (which it escapes) is written as it is.
    static func quoted(_ s: String) -> String {
        let plain = s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x27 && $0 != 0x5C }
        return plain ? "\"" + s + "\"" : s.debugDescription
    }

    /// The MAC of a row of `table` with id `id`, given its values by column name (missing means NULL).
    func mac(table: String, id: DatabaseValue, values: [String: DatabaseValue]) -> Data {
        var out: [UInt8] = []
        Self.append(table.databaseValue, to: &out)
        Self.append(id, to: &out)
        for column in Self.columns[table] ?? [] { Self.append(values[column] ?? .null, to: &out) }
        for column in Self.laterColumns[table] ?? [] {
            guard let value = values[column], !value.isNull else { continue }
            Self.append(column.databaseValue, to: &out)
            Self.append(value, to: &out)
        }
        return mac(out)
    }

    /// Where a table's authenticated columns sit in rows of one shape (one statement's columns), so each row is
    /// read by index: GRDB's lookup by name lowercases the name and searches the columns on every call, which was
    /// most of the time a `find` spent authenticating rows.
    struct Layout {
        fileprivate let table: String
        fileprivate let identity: [Int?]
        fileprivate let columns: [Int?]
        fileprivate let later: [(name: String, index: Int?)]
        fileprivate let mac: Int?
        fileprivate let sets: Set<Int>
    }

    /// One statement's layout, worked out from the first row it is asked for and kept for the others (every row of
    /// a statement has the same columns).
    struct StatementLayout {
        let table: String
        private var found: Layout?

        init(_ table: String) { self.table = table }

        mutating func of(_ row: Row) -> Layout {
            if let found { return found }
            let layout = RowAuthentication.layout(table: table, columnNames: Array(row.columnNames))
            found = layout
            return layout
        }
    }

    /// The layout of rows of `table` with these columns.
    static func layout(table: String, columnNames: [String]) -> Layout {
        var positions: [String: Int] = [:]
        for (index, name) in columnNames.enumerated() where positions[name.lowercased()] == nil { positions[name.lowercased()] = index }
        let index = { (name: String) in positions[name] }
        return Layout(
            table: table,
            identity: (keys[table] ?? ["id"]).map(index),
            columns: (columns[table] ?? []).map(index),
            later: (laterColumns[table] ?? []).map { ($0, index($0)) },
            mac: index("row_mac"),
            sets: Set(["responses", "staff_ids"].compactMap(index)))
    }

    /// The MAC a stored row should have (the row as `SELECT *`, plus `responses` and `staff_ids` for observations).
    func mac(table: String, row: Row) -> Data {
        mac(row: row, layout: Self.layout(table: table, columnNames: Array(row.columnNames)))
    }

    /// The same bytes as `mac(table:id:values:)`, read straight from the row by index.
    func mac(row: Row, layout: Layout) -> Data {
        func value(_ index: Int?) -> DatabaseValue {
            guard let index else { return .null }
            let value: DatabaseValue = row[index]
            guard layout.sets.contains(index) else { return value }
            // group_concat order is not defined: compare as the sorted set the insert wrote.
            let text = (String.fromDatabaseValue(value) ?? "").split(separator: ",").map(String.init).sorted()
            return text.joined(separator: ",").databaseValue
        }
        var out: [UInt8] = []
        out.reserveCapacity(256)
        Self.append(layout.table.databaseValue, to: &out)
        if Self.keys[layout.table] == nil {
            Self.append(value(layout.identity[0]), to: &out)
        } else {
            Self.append(Self.identity(layout.identity.map(value)), to: &out)
        }
        for index in layout.columns { Self.append(value(index), to: &out) }
        for (name, index) in layout.later {
            let later = value(index)
            guard !later.isNull else { continue }
            Self.append(name.databaseValue, to: &out)
            Self.append(later, to: &out)
        }
        return mac(out)
    }

    /// Whether a stored row of a known layout holds the MAC it should.
    func isAuthentic(_ row: Row, layout: Layout) -> Bool {
        guard let stored: Data = layout.mac.flatMap({ row[$0] }) else { return false }
        return stored == mac(row: row, layout: layout)
    }

    /// Checks a stored row; a row that does not authenticate is an integrity error naming it, never data.
    func check(row: Row, layout: Layout) throws {
        guard isAuthentic(row, layout: layout) else {
            throw CatalogueError(
                code: .corruptRow,
                message:
                    "The catalogue's \(layout.table) row \(Self.label(table: layout.table, row: row)) does not authenticate: it was changed, moved or added outside evidence, so it is not used. Check the whole library and restore the catalogue from a backup."
            )
        }
    }

    /// How a row is named in a message: its id, or its key.
    static func label(table: String, row: Row) -> String {
        (keys[table] ?? ["id"]).map { String(describing: row[$0] as DatabaseValue) }.joined(separator: "/")
    }

    /// Type-tagged, length-prefixed, so no two different rows encode alike.
    private static func append(_ value: DatabaseValue, to out: inout [UInt8]) {
        switch value.storage {
        case .null: out.append(0x4E)  // N
        case .int64(let n):
            out.append(0x49)  // I
            withUnsafeBytes(of: n.littleEndian) { out.append(contentsOf: $0) }
        case .double(let d):
            out.append(0x44)  // D
            withUnsafeBytes(of: d.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        case .string(let s):
            out.append(0x53)  // S
            withUnsafeBytes(of: UInt32(s.utf8.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: s.utf8)
        case .blob(let data):
            out.append(0x42)  // B
            withUnsafeBytes(of: UInt32(data.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: data)
        }
    }
}
