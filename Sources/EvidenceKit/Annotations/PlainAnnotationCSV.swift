import Foundation

/// The plain annotation CSV that `export-annotations --format csv` writes and `import-annotations` reads back:
/// `start,end,pupil` and then an observation's fields by their ``ObservationFields/Key`` names (times as
/// `MM:SS.mmm` or seconds; lists separated by `;`).
enum PlainAnnotationCSV {
    static let columns = ["start", "end", "pupil"] + ObservationFields.Key.allCases.map(\.rawValue)

    static func read(_ text: String, path: String) throws(EvidenceError) -> [AnnotationEvent] {
        let table = try CSVTable(text, path: path)
        let header = table.header.map { $0.lowercased() }
        guard header.contains("start"), header.contains("pupil") else {
            throw EvidenceError(.usage, "\(path), line 1: the header needs at least start and pupil columns (\(columns.joined(separator: ","))).")
        }
        var events: [AnnotationEvent] = []
        try table.forEachRow { (line, row) throws(EvidenceError) in
            var fields: [String: String] = [:]
            for (index, name) in header.enumerated() where index < row.fields.count { fields[name] = row.fields[index] }
            let location = "line \(line)"
            guard let startText = fields["start"], !startText.isEmpty else {
                throw EvidenceError(.usage, "\(path), \(location): start is empty.")
            }
            let start = try milliseconds(seconds: startText, location: location + " (start)", path: path)
            let end = try fields["end"].flatMap { $0.isEmpty ? nil : $0 }.map { (text) throws(EvidenceError) in
                try milliseconds(seconds: text, location: location + " (end)", path: path)
            } ?? start
            guard end >= start else { throw EvidenceError(.usage, "\(path), \(location): end is before start.") }
            var extra = fields.filter { !$0.value.isEmpty && !["start", "end", "media"].contains($0.key) }
            extra["pupil"] = fields["pupil"] ?? ""
            events.append(
                AnnotationEvent(
                    subject: fields["pupil"] ?? "", code: "", startMs: start, endMs: end, location: location, extra: extra,
                    media: fields["media"].flatMap { $0.isEmpty ? nil : $0 }))
        }
        return events
    }
}

/// Writing CSV (RFC 4180): fields with commas, quotes or line breaks are quoted, quotes doubled.
public enum CSVText {
    /// One line, without the line break.
    public static func line(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",")
    }
}
