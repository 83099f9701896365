public import Foundation
internal import CSV

/// The plain annotation CSV that `export-annotations --format csv` writes and `import-annotations` reads back:
/// `start,end,pupil,areas,responses,intent,prompt,activity,setting,equipment,note` (times as `MM:SS.mmm` or seconds;
/// lists separated by `;`).
enum PlainAnnotationCSV {
    static let columns = ["start", "end", "pupil", "areas", "responses", "intent", "prompt", "activity", "setting", "equipment", "note"]

    static func read(_ text: String, path: String) throws(EvidenceError) -> [AnnotationEvent] {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true)
        } catch {
            throw EvidenceError(.usage, "\(path): not a readable CSV file (\(error)).")
        }
        let header = (reader.headerRow ?? []).map { $0.lowercased() }
        guard header.contains("start"), header.contains("pupil") else {
            throw EvidenceError(.usage, "\(path), line 1: the header needs at least start and pupil columns (\(columns.joined(separator: ","))).")
        }
        var events: [AnnotationEvent] = []
        var line = 1
        while let row = reader.next() {
            line += 1
            if row.allSatisfy(\.isEmpty) { continue }
            var fields: [String: String] = [:]
            for (index, name) in header.enumerated() where index < row.count { fields[name] = row[index] }
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
        if let error = reader.error { throw EvidenceError(.usage, "\(path), line \(line + 1): malformed CSV (\(error)).") }
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
