import Foundation

/// Writes observations as BORIS reads them: a project (`.boris`, format 7.0) or a tabular events export (TSV).
///
/// The ethogram is made from the codes written: a code with any range is a state event (a start and a stop entry
/// per moment, as BORIS stores them), one used only at instants a point event. Subjects are the tiers or subjects
/// the observations came from (else the pupils' handles). One observation per asset, its media the file given.
enum BORISWriter {
    /// One event to write.
    struct Entry {
        var subject: String
        var code: String
        var modifier: String
        var startMs: Int64
        var endMs: Int64
        /// The behaviour's category (from an imported project), or empty.
        var category: String = ""
        /// The observation's independent variables, `name=value;…`, or empty.
        var variables: String = ""
    }

    /// Codes that need state events (used with a range at least once).
    private static func stateCodes(_ entries: [Entry]) -> Set<String> {
        Set(entries.filter { $0.endMs > $0.startMs }.map(\.code))
    }

    /// Seconds with three decimals, as BORIS's JSON numbers.
    private static func seconds(_ ms: Int64) -> Double { Double(ms) / 1000 }

    /// A `.boris` project (JSON) holding one observation named `observation` on `media`.
    static func project(
        _ entries: [Entry], observation: String, media: String, durationMs: Int64?, frameRate: Double?, date: String
    ) -> String {
        let states = stateCodes(entries)
        let codes = Array(Set(entries.map(\.code))).sorted()
        var behaviours: [String: Any] = [:]
        for (index, code) in codes.enumerated() {
            let category = entries.first { $0.code == code && !$0.category.isEmpty }?.category ?? ""
            behaviours[String(index)] = [
                "type": states.contains(code) ? "State event" : "Point event", "key": "", "code": code, "description": "",
                "category": category, "modifiers": [String: Any](), "excluded": "", "coding map": "",
            ]
        }
        var variables: [String: Any] = [:]
        for pair in (entries.first { !$0.variables.isEmpty }?.variables ?? "").split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { variables[parts[0]] = parts[1] }
        }
        let subjects = Array(Set(entries.map(\.subject))).sorted()
        var subjectsConf: [String: Any] = [:]
        for (index, subject) in subjects.enumerated() {
            subjectsConf[String(index)] = ["key": "", "name": subject, "description": ""]
        }
        // A state is a start and a stop entry with the same subject, code and modifier; in time order, a start
        // before a stop at the same instant.
        var events: [(ms: Int64, order: Int, row: [Any])] = []
        for entry in entries {
            let row: (Int64) -> [Any] = { [seconds($0), entry.subject, entry.code, entry.modifier, ""] }
            if states.contains(entry.code) {
                events.append((entry.startMs, 0, row(entry.startMs)))
                events.append((entry.endMs, 1, row(entry.endMs)))
            } else {
                events.append((entry.startMs, 0, row(entry.startMs)))
            }
        }
        events.sort { ($0.ms, $0.order) < ($1.ms, $1.order) }
        var mediaInfo: [String: Any] = ["offset": ["1": 0.0], "hasVideo": [media: true], "hasAudio": [media: true]]
        if let durationMs { mediaInfo["length"] = [media: seconds(durationMs)] }
        if let frameRate { mediaInfo["fps"] = [media: frameRate] }
        let project: [String: Any] = [
            "project_name": "evidence export", "project_date": date, "project_description": "",
            "project_format_version": "7.0", "time_format": "hh:mm:ss",
            "subjects_conf": subjectsConf, "behaviors_conf": behaviours, "behavioral_categories": [String](),
            "independent_variables": [String: Any](), "coding_map": [String: Any](), "behaviors_coding_map": [Any](),
            "converters": [String: Any](),
            "observations": [
                observation: [
                    "file": ["1": [media], "2": [String](), "3": [String](), "4": [String](), "5": [String](), "6": [String](), "7": [String](), "8": [String]()],
                    "type": "MEDIA", "date": date, "description": "", "time offset": 0.0,
                    "events": events.map(\.row), "media_info": mediaInfo, "independent_variables": variables,
                    "visualize_spectrogram": false, "visualize_waveform": false, "close_behaviors_between_videos": false,
                ] as [String: Any]
            ],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: project, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A tabular events export (tab-separated), one row per START, STOP or POINT, in BORIS's column names.
    static func table(_ entries: [Entry], observation: String, media: String, durationMs: Int64?, frameRate: Double?, date: String)
        -> String
    {
        let states = stateCodes(entries)
        func clean(_ text: String) -> String { text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
        let header = [
            "Observation id", "Observation date", "Description", "Observation type", "Source", "Time offset (s)",
            "Media duration (s)", "FPS", "Subject", "Behavior", "Behavioral category", "Modifiers", "Behavior type", "Time",
            "Media file name", "Comment", "Status",
        ]
        var rows: [(ms: Int64, order: Int, fields: [String])] = []
        let duration = durationMs.map { String(format: "%.3f", seconds($0)) } ?? "NA"
        let fps = frameRate.map { String(format: "%.2f", $0) } ?? "NA"
        for entry in entries {
            func row(_ ms: Int64, _ status: String) -> [String] {
                [
                    clean(observation), date, "", "Media file(s)", "player #1:\(clean(media))", "0.000", duration, fps,
                    clean(entry.subject), clean(entry.code), "", clean(entry.modifier),
                    states.contains(entry.code) ? "STATE" : "POINT", String(format: "%.3f", seconds(ms)), clean(media), "", status,
                ]
            }
            if states.contains(entry.code) {
                rows.append((entry.startMs, 0, row(entry.startMs, "START")))
                rows.append((entry.endMs, 1, row(entry.endMs, "STOP")))
            } else {
                rows.append((entry.startMs, 0, row(entry.startMs, "POINT")))
            }
        }
        rows.sort { ($0.ms, $0.order) < ($1.ms, $1.order) }
        return ([header] + rows.map(\.fields)).map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n"
    }
}
