internal import CSV

/// A CSV file with a header row (a roster, consent forms, annotations), read row by row with its line numbers;
/// every error names the file and the line.
struct CSVTable {
    /// The header as written.
    let header: [String]
    private let reader: CSVReader
    private let path: String

    /// Parses `text` (the contents of `path`) as CSV with a header row; fields are trimmed.
    init(_ text: String, path: String) throws(EvidenceError) {
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true)
        } catch {
            throw EvidenceError(.usage, "\(path): not a readable CSV file (\(error)).")
        }
        header = reader.headerRow ?? []
        self.path = path
    }

    /// Calls `body` with each row that is not blank and its line number (the header is line 1); a malformed row,
    /// or one with more or fewer fields than the header, ends the read with an error naming its line (a shifted
    /// row would put a UPN or a date of birth in the wrong column).
    func forEachRow(_ body: (_ line: Int, _ row: CSVRow) throws(EvidenceError) -> Void) throws(EvidenceError) {
        var line = 1
        while let fields = reader.next() {
            line += 1
            if fields.allSatisfy(\.isEmpty) { continue }
            guard fields.count == header.count else {
                throw EvidenceError(
                    .usage,
                    "\(path), line \(line): \(fields.count) fields where the header has \(header.count). Check for a stray comma, or quote values that contain one.")
            }
            try body(line, CSVRow(fields: fields))
        }
        if let error = reader.error { throw EvidenceError(.usage, "\(path), line \(line + 1): malformed CSV (\(error)).") }
    }
}

/// One row of a ``CSVTable``.
struct CSVRow {
    /// The fields, trimmed, in column order.
    let fields: [String]

    /// The field in column `index`, or nil when the column is absent, the row is short, or the field is empty.
    subscript(index: Int?) -> String? {
        guard let index, index < fields.count, !fields[index].isEmpty else { return nil }
        return fields[index]
    }
}
