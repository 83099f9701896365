import Foundation

/// BORIS 7's aggregated export, written without its header row when events were grouped into one file.
///
/// Its rows are laid out by `export_observation.export_aggregated_events` of BORIS 7.x:
/// `Observation id, Observation date, Media file, Total length, FPS`, then one column per independent variable
/// of the project (none or many), then `Subject, Behavior, Modifiers, Behavior type, Start (s), Stop (s),
/// Duration (s), Comment start, Comment stop`. So the columns are fixed at both ends and the number of
/// independent variables is whatever is left: a row is recognised when every fixed column holds what BORIS
/// writes there (a date, lengths, `POINT`/`STATE`, times with three decimals or `NA`).
enum BORISHeaderlessExport {
    /// Columns before the independent variables and after them.
    private static let leading = ["observation id", "observation date", "media file", "total length", "fps"]
    private static let trailing = [
        "subject", "behavior", "modifiers", "behavior type", "start (s)", "stop (s)", "duration (s)", "comment start", "comment stop",
    ]

    /// The header BORIS would have written for a row of `count` columns: column name → index, as
    /// ``BORISReader/table(_:path:)`` reads a header.
    static func header(columns count: Int) -> [String: Int] {
        let variables = count - leading.count - trailing.count
        var header: [String: Int] = [:]
        for (index, name) in leading.enumerated() { header[name] = index }
        for index in 0..<max(0, variables) { header["independent variable \(index + 1)"] = leading.count + index }
        for (index, name) in trailing.enumerated() { header[name] = leading.count + max(0, variables) + index }
        return header
    }

    /// Whether `row` is one of these rows.
    static func recognises(_ row: [String]) -> Bool {
        guard row.count >= leading.count + trailing.count else { return false }
        let columns = header(columns: row.count)
        let field = { (name: String) -> String in row[columns[name]!].trimmingCharacters(in: .whitespaces) }
        let type = field("behavior type").uppercased()
        guard type == "POINT" || type == "STATE" else { return false }
        guard isSeconds(field("start (s)")), isSeconds(field("stop (s)")) || field("stop (s)").uppercased() == "NA" else { return false }
        let duration = field("duration (s)")
        guard isSeconds(duration) || duration.uppercased() == "NA" else { return false }
        guard isSeconds(field("total length")) else { return false }
        return isDate(field("observation date"))
    }

    /// Recognises a header-less export from its first line (for format detection).
    static func recognises(firstLineOf text: Substring) -> Bool {
        guard let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first else { return false }
        let delimiter: Character = line.contains("\t") ? "\t" : ","
        let fields = line.split(separator: delimiter, omittingEmptySubsequences: false).map {
            String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\"\r"))
        }
        return recognises(fields)
    }

    private static func isSeconds(_ text: String) -> Bool {
        guard let value = Double(text) else { return false }
        return value.isFinite && value >= 0
    }

    /// `2026-07-01 09:45:00` (BORIS writes the ISO date with a space), with or without seconds.
    private static func isDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 16 else { return false }
        let digits: [Int] = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15]
        return digits.allSatisfy { bytes[$0] >= 48 && bytes[$0] <= 57 } && bytes[4] == 45 && bytes[7] == 45
            && (bytes[10] == 32 || bytes[10] == 84) && bytes[13] == 58
    }
}
