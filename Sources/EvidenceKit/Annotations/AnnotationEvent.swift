import Foundation

/// One timed annotation read from a BORIS, ELAN or CSV file, before it is mapped to a pupil and areas.
struct AnnotationEvent: Equatable {
    /// BORIS subject, ELAN tier, or the CSV `pupil` column.
    var subject: String
    /// BORIS behaviour code, ELAN annotation value, or the CSV's areas and responses.
    var code: String
    /// Start in media time, ms.
    var startMs: Int64
    /// End in media time, ms (equal to start for a point event).
    var endMs: Int64
    /// Where it came from, for error messages: `line 12`, `annotation a7 (line 40)`.
    var location: String
    /// Extra fields a plain CSV can carry.
    var extra: [String: String] = [:]
    /// The media file the row names (BORIS exports across observations), matched to an asset by file name.
    var media: String?
    /// BORIS modifiers (`|`-separated), kept with the import's source record.
    var modifier: String = ""
    /// The BORIS behaviour's category, kept with the source record.
    var category: String = ""
    /// The BORIS observation's independent variables (`name=value` joined with `;`, sorted), kept likewise.
    var variables: String = ""
}

/// The annotation formats `import-annotations` reads.
public enum AnnotationFormat: String, Sendable, CaseIterable {
    /// ELAN `.eaf` XML.
    case eaf
    /// A BORIS project (`.boris`, JSON).
    case boris
    /// A BORIS tabular events export (CSV or TSV).
    case borisTable = "boris-csv"
    /// A BORIS tabular events export, tab-separated (what `export-annotations --format boris-tsv` writes; read as
    /// `boris-csv`).
    case borisTSV = "boris-tsv"
    /// A plain CSV: `start,end,pupil,areas,responses,…`.
    case csv

    /// Decides the format from the file's start and extension.
    static func detect(path: String, text: String) -> AnnotationFormat {
        let head = text.prefix(4096)
        if head.contains("<ANNOTATION_DOCUMENT") { return .eaf }
        if head.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") { return .boris }
        let lower = head.lowercased()
        if lower.contains("behavior") || lower.contains("behaviour") || lower.contains("observation id") { return .borisTable }
        if BORISHeaderlessExport.recognises(firstLineOf: head) { return .borisTable }
        return .csv
    }
}

/// Seconds as text (BORIS, CSV) to whole milliseconds.
func milliseconds(seconds text: String, location: String, path: String) throws(EvidenceError) -> Int64 {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    do {
        return try TimeCode.milliseconds(trimmed)
    } catch {
        throw EvidenceError(.usage, "\(path), \(location): \"\(text)\" is not a time.")
    }
}
