import Foundation
internal import CSV

/// Reads BORIS observations: a `.boris` project (JSON) or a tabular events export (CSV/TSV).
///
/// In a project, a state event is stored as two identical entries (start, then stop) paired in order per subject,
/// behaviour and modifier; only the ethogram says whether a code is a state or a point event. Event times are on the
/// observation's clock: media time = time − the observation's "time offset" − player 1's media offset. Player 1 may
/// hold a playlist (several files played one after another): times are then on the playlist's timeline, and each
/// event is placed on its own file (split where it crosses from one to the next) using `media_info.length`.
enum BORISReader {
    /// Events of one observation of a `.boris` project (`observation` may be omitted when there is only one).
    static func project(_ text: String, path: String, observation wanted: String?) throws(EvidenceError) -> [AnnotationEvent] {
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) } catch {
            // Foundation says where the JSON breaks as a byte offset ("around character 16"), or that it ends too
            // soon: said as a line and column, as an editor shows it.
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            let bytes = Array(text.utf8)
            let offset = detail.firstMatch(of: /character (\d+)/).flatMap { Int($0.1) } ?? bytes.count
            let before = bytes.prefix(min(offset, bytes.count))
            let line = before.filter { $0 == 0x0A }.count + 1
            let column = before.count - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            let what = detail.contains("end of file") ? "it ends too soon (the file is cut short)" : "it is not valid JSON there"
            throw EvidenceError(
                .usage, "\(path), line \(line), column \(column): not a BORIS project: \(what). Save it again from BORIS.")
        }
        guard let root = parsed as? [String: Any] else {
            throw EvidenceError(.usage, "\(path): not a BORIS project (the JSON is not an object).")
        }
        guard let observations = root["observations"] as? [String: Any], !observations.isEmpty else {
            throw EvidenceError(.usage, "\(path): the BORIS project has no \"observations\".")
        }
        let name: String
        if let wanted {
            guard observations[wanted] != nil else {
                throw EvidenceError(
                    .usage, "\(path): no observation \"\(wanted)\"; it has: \(observations.keys.sorted().joined(separator: ", ")).",
                    field: Field("observation"), value: wanted)
            }
            name = wanted
        } else {
            guard observations.count == 1, let only = observations.keys.first else {
                throw EvidenceError(
                    .usage,
                    "\(path) holds several observations; choose one (\(observations.keys.sorted().joined(separator: ", "))).",
                    field: Field("observation"))
            }
            name = only
        }
        guard let observation = observations[name] as? [String: Any], let rawEvents = observation["events"] as? [Any] else {
            throw EvidenceError(.usage, "\(path): observation \"\(name)\" has no \"events\" list.")
        }
        // State or point, from the ethogram: BORIS keeps it under "behaviors_conf" (its config.ETHOGRAM), each entry
        // with "code" and "type" ("Point event" / "State event"); "ethogram" is read too, for hand-made files.
        var pointCodes: Set<String> = []
        var categories: [String: String] = [:]
        let ethogram = (root["behaviors_conf"] as? [String: Any]) ?? (root["ethogram"] as? [String: Any]) ?? [:]
        for case let behaviour as [String: Any] in ethogram.values.map({ $0 }) {
            guard let code = behaviour["code"] as? String else { continue }
            if (behaviour["type"] as? String)?.lowercased().contains("point") == true { pointCodes.insert(code) }
            if let category = behaviour["category"] as? String, !category.isEmpty { categories[code] = category }
        }
        // The observation's independent variables, kept with each event's source record.
        let variables = ((observation["independent_variables"] as? [String: Any]) ?? [:])
            .map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ";")
        let timeOffset = number(observation["time offset"]) ?? 0
        let mediaOffset = ((observation["media_info"] as? [String: Any])?["offset"] as? [String: Any]).flatMap { number($0["1"]) } ?? 0
        var open: [String: (ms: Int64, index: Int, label: String)] = [:]
        var events: [AnnotationEvent] = []
        for (index, item) in rawEvents.enumerated() {
            let location = "observation \"\(name)\" event \(index + 1)"
            guard let fields = item as? [Any], fields.count >= 3, let time = number(fields[0]),
                let code = fields[2] as? String
            else {
                throw EvidenceError(.usage, "\(path), \(location): expected [time, subject, code, modifier, comment].")
            }
            let subject = fields[1] as? String ?? ""
            let modifier = fields.count > 3 ? fields[3] as? String ?? "" : ""
            let comment = fields.count > 4 ? fields[4] as? String ?? "" : ""
            let ms = Int64(((time - timeOffset - mediaOffset) * 1000).rounded())
            guard ms >= 0 else { throw EvidenceError(.usage, "\(path), \(location): the event is before the start of the media.") }
            var extra: [String: String] = [:]
            if !comment.isEmpty { extra["note"] = comment }
            if pointCodes.contains(code) {
                events.append(
                    AnnotationEvent(
                        subject: subject, code: code, startMs: ms, endMs: ms, location: location, extra: extra, modifier: modifier,
                        category: categories[code] ?? "", variables: variables))
                continue
            }
            let key = "\(subject)\u{1F}\(code)\u{1F}\(modifier)"
            let label = "\(subject.isEmpty ? "no subject" : subject), \(code), at \(time) s"
            if let start = open.removeValue(forKey: key) {
                guard ms >= start.ms else {
                    throw EvidenceError(
                        .usage, "\(path), \(location) (\(label)): the state event stops before it starts (event \(start.index + 1)).")
                }
                events.append(
                    AnnotationEvent(
                        subject: subject, code: code, startMs: start.ms, endMs: ms, location: location, extra: extra,
                        modifier: modifier, category: categories[code] ?? "", variables: variables))
            } else {
                open[key] = (ms, index, label)
            }
        }
        if let unmatched = open.values.min(by: { $0.index < $1.index }) {
            throw EvidenceError(
                .usage,
                "\(path), observation \"\(name)\" event \(unmatched.index + 1) (\(unmatched.label)): a state event starts but never stops.")
        }
        let placed = try onPlaylist(events, observation: observation, name: name, path: path)
        return placed.sorted { ($0.media ?? "", $0.startMs, $0.endMs) < ($1.media ?? "", $1.startMs, $1.endMs) }
    }

    /// Places events on player 1's files: one file names the media of every event; a playlist splits the timeline by
    /// each file's length (`media_info.length`, seconds), an event crossing from one file to the next becoming a part
    /// on each, with times from its file's start.
    static func onPlaylist(
        _ events: [AnnotationEvent], observation: [String: Any], name: String, path: String
    ) throws(EvidenceError) -> [AnnotationEvent] {
        let players = observation["file"] as? [String: Any] ?? [:]
        let files = (players["1"] as? [Any] ?? []).compactMap { $0 as? String }
        guard files.count > 1 else {
            guard let only = files.first else { return events }
            return events.map { event in
                var event = event
                event.media = only
                return event
            }
        }
        let lengths = (observation["media_info"] as? [String: Any])?["length"] as? [String: Any] ?? [:]
        var starts: [Int64] = [0]
        for file in files {
            guard let seconds = number(lengths[file]), seconds > 0 else {
                throw EvidenceError(
                    .usage,
                    "\(path), observation \"\(name)\": player 1 plays \(files.count) files one after another, but the project does not say how long \(file) is (media_info.length). Open the observation in BORIS once so it records the lengths, and save.")
            }
            starts.append(starts[starts.count - 1] + Int64((seconds * 1000).rounded()))
        }
        var placed: [AnnotationEvent] = []
        for event in events {
            // A point at a boundary belongs to the file that starts there; a range is cut at each boundary it crosses.
            var from = event.startMs
            let isPoint = event.startMs == event.endMs
            repeat {
                guard let index = starts.indices.dropLast().last(where: { starts[$0] <= from }), index < files.count else {
                    throw EvidenceError(
                        .usage, "\(path), \(event.location): at \(TimeCode.format(from)), past the end of the playlist (\(TimeCode.format(starts[starts.count - 1]))).")
                }
                let to = isPoint ? from : min(event.endMs, starts[index + 1])
                var part = event
                part.media = files[index]
                part.startMs = from - starts[index]
                part.endMs = to - starts[index]
                if !isPoint, to < event.endMs || from > event.startMs {
                    part.location = "\(event.location), the part on \((files[index] as NSString).lastPathComponent)"
                }
                placed.append(part)
                from = to
            } while !isPoint && from < event.endMs
        }
        return placed
    }

    /// Events of a tabular export: either one row per START/STOP/POINT (`Time`, `Subject`, `Behavior`, `Status`) or
    /// aggregated rows (`Subject`, `Behavior`, `Behavior type`, `Start (s)`, `Stop (s)`). Metadata lines above the
    /// header row are skipped.
    static func table(_ text: String, path: String) throws(EvidenceError) -> [AnnotationEvent] {
        let delimiter: UnicodeScalar = text.prefix(4096).contains("\t") ? "\t" : ","
        let reader: CSVReader
        do {
            reader = try CSVReader(
                string: text, hasHeaderRow: false, trimFields: false, delimiter: delimiter)
        } catch {
            throw EvidenceError(.usage, "\(path): not a readable CSV/TSV file (\(error)).")
        }
        var header: [String: Int]?
        var headerless = false
        var line = 0
        var open: [String: (Int64, Int)] = [:]
        var events: [AnnotationEvent] = []
        var playlists: [String: [(name: String, startMs: Int64, lengthMs: Int64)]] = [:]
        var seenObservations: Set<String> = []
        while let row = reader.next() {
            line += 1
            if header == nil, !row.allSatisfy(\.isEmpty), BORISHeaderlessExport.recognises(row) {
                // BORIS 7 grouped an aggregated export into one file without its header: the layout is known.
                header = BORISHeaderlessExport.header(columns: row.count)
                headerless = true
            }
            guard let columns = header else {
                let names = row.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                if names.contains("behavior") || names.contains("behaviour") {
                    header = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
                }
                continue
            }
            if headerless, row.count != columns.count, !row.allSatisfy(\.isEmpty) {
                throw EvidenceError(
                    .usage, "\(path), line \(line): \(row.count) columns where the rows above have \(columns.count); a BORIS export without a header row must keep one layout.")
            }
            func field(_ names: String...) -> String? {
                for name in names { if let i = columns[name], i < row.count { return trimmed(row[i]) } }
                return nil
            }
            if row.allSatisfy(\.isEmpty) { continue }
            let location = "line \(line)"
            guard let code = field("behavior", "behaviour"), !code.isEmpty else {
                throw EvidenceError(.usage, "\(path), \(location): the Behavior column is empty.")
            }
            let subject = field("subject") ?? ""
            let media = field("media file name", "media file path", "media file").map { $0.hasPrefix("player #") ? String($0.split(separator: ":", maxSplits: 1).last ?? "") : $0 }
            var extra: [String: String] = [:]
            if let comment = field("comment", "comment start"), !comment.isEmpty { extra["note"] = comment }
            let observationID = field("observation id") ?? ""
            extra["observation"] = observationID
            // Once per observation (most exports hold one): the player list is the same on each of its rows.
            if seenObservations.insert(observationID).inserted,
                let list = playlist(files: field("media file", "source"), lengths: field("media duration (s)", "total length"))
            {
                playlists[observationID] = list
            }
            if let start = field("start (s)"), let stop = field("stop (s)") {
                let startMs = try milliseconds(seconds: start, location: location, path: path)
                let stopMs = (stop.isEmpty || stop.uppercased() == "NA") ? startMs : try milliseconds(seconds: stop, location: location, path: path)
                guard stopMs >= startMs else { throw EvidenceError(.usage, "\(path), \(location): Stop is before Start.") }
                events.append(AnnotationEvent(subject: subject, code: code, startMs: startMs, endMs: stopMs, location: location, extra: extra, media: media))
                continue
            }
            guard let time = field("time"), let status = field("status")?.uppercased() else {
                throw EvidenceError(.usage, "\(path), \(location): expected Time and Status columns (or Start (s) and Stop (s)).")
            }
            let ms = try milliseconds(seconds: time, location: location, path: path)
            let key = "\(subject)\u{1F}\(code)\u{1F}\(field("modifiers", "modifier") ?? "")"
            switch status {
            case "POINT":
                events.append(AnnotationEvent(subject: subject, code: code, startMs: ms, endMs: ms, location: location, extra: extra, media: media))
            case "START":
                open[key] = (ms, line)
            case "STOP":
                guard let (start, startLine) = open.removeValue(forKey: key) else {
                    throw EvidenceError(.usage, "\(path), \(location): STOP of \"\(code)\" without a START.")
                }
                guard ms >= start else {
                    throw EvidenceError(
                        .usage, "\(path), \(location): the STOP of \"\(code)\" (\(subject)) at \(time) s is before its START (line \(startLine)).")
                }
                events.append(AnnotationEvent(subject: subject, code: code, startMs: start, endMs: ms, location: location, extra: extra, media: media))
            default:
                throw EvidenceError(.usage, "\(path), \(location): Status \"\(status)\" is not START, STOP or POINT.")
            }
        }
        if let error = reader.error { throw EvidenceError(.usage, "\(path), line \(line + 1): malformed CSV (\(error)).") }
        guard header != nil else { throw EvidenceError(.usage, "\(path): no header row with a Behavior column.") }
        if let unmatched = open.values.min(by: { $0.1 < $1.1 }) {
            throw EvidenceError(.usage, "\(path), line \(unmatched.1): a START without a STOP.")
        }
        if headerless { try refuseHeaderlessPlaylists(events, path: path) }
        return try placedOnTheirFiles(events, playlists: playlists, path: path)
    }

    /// BORIS 7 writes a playlist's rows on the playlist's timeline and names each row's file, but without a header
    /// the export lists neither the files' order nor their lengths, so where a later file's rows fall on it cannot be
    /// known. One file per observation (the usual case) is exact; more is refused, saying what to do.
    private static func refuseHeaderlessPlaylists(_ events: [AnnotationEvent], path: String) throws(EvidenceError) {
        var files: [String: (names: Set<String>, location: String)] = [:]
        for event in events {
            let observation = event.extra["observation"] ?? ""
            let name = (event.media.map { ($0 as NSString).lastPathComponent } ?? "")
            files[observation, default: ([], event.location)].names.insert(name)
        }
        if let (observation, entry) = files.first(where: { $0.value.names.count > 1 }) {
            throw EvidenceError(
                .usage,
                "\(path), \(entry.location): observation \"\(observation)\" plays \(entry.names.count) files (\(entry.names.sorted().joined(separator: ", "))), and an export without its header row does not say how long each is, so its times cannot be placed on them. Import the BORIS project (.boris) instead, or export the events again from BORIS 8 or later.")
        }
    }

    /// Player 1's files and their lengths (ms) as a tabular export lists them: `player #1:a.mp4;b.mp4|player #2:…`
    /// and `4.000;3.000|…`; nil unless it plays more than one file with every length given.
    static func playlist(files: String?, lengths: String?) -> [(name: String, startMs: Int64, lengthMs: Int64)]? {
        guard let files, let lengths else { return nil }
        let first = files.split(separator: "|").first.map(String.init) ?? ""
        let names = (first.split(separator: ":", maxSplits: 1).last.map(String.init) ?? first).split(separator: ";")
            .map { ($0.trimmingCharacters(in: .whitespaces) as NSString).lastPathComponent.lowercased() }
        let seconds = (lengths.split(separator: "|").first.map(String.init) ?? "").split(separator: ";").compactMap {
            Double($0.trimmingCharacters(in: .whitespaces))
        }
        guard names.count > 1, seconds.count == names.count else { return nil }
        var start: Int64 = 0
        var result: [(String, Int64, Int64)] = []
        for (name, length) in zip(names, seconds) {
            let ms = Int64((length * 1000).rounded())
            result.append((name, start, ms))
            start += ms
        }
        return result
    }

    /// Rows of a playlist's observation name their own file, but whether their times count from that file's start
    /// or from the playlist's depends on the BORIS version that wrote them (BORIS 8 writes the playlist's timeline,
    /// as `export_observation.py` shows; earlier versions wrote each file's own time). Decided per observation and
    /// file from the times themselves: a time past the file's length can only be on the playlist's timeline, one
    /// before the file's place in the playlist only on the file's own; when both readings fit, BORIS's current one.
    static func placedOnTheirFiles(
        _ events: [AnnotationEvent], playlists: [String: [(name: String, startMs: Int64, lengthMs: Int64)]], path: String
    ) throws(EvidenceError) -> [AnnotationEvent] {
        guard !playlists.isEmpty else { return events }
        var placed = events
        let groups = Dictionary(grouping: events.indices) { index -> String in
            "\(events[index].extra["observation"] ?? "")\u{1F}\((events[index].media.map { ($0 as NSString).lastPathComponent } ?? "").lowercased())"
        }
        for (key, indices) in groups {
            let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            guard let files = playlists[parts[0]], let file = files.first(where: { $0.name == parts[1] }), file.startMs > 0 else {
                continue
            }
            let spans = indices.map { (events[$0].startMs, events[$0].endMs) }
            let fitsOwn = spans.allSatisfy { $0.1 <= file.lengthMs + 1 }
            let fitsPlaylist = spans.allSatisfy { $0.0 >= file.startMs - 1 && $0.1 <= file.startMs + file.lengthMs + 1 }
            guard fitsOwn || fitsPlaylist else {
                let first = events[indices[0]]
                throw EvidenceError(
                    .usage,
                    "\(path), \(first.location): the rows on \(parts[1]) fit neither its own timeline (\(TimeCode.format(file.lengthMs)) long) nor the playlist's (from \(TimeCode.format(file.startMs))).")
            }
            guard fitsPlaylist else { continue }
            for index in indices {
                placed[index].startMs -= file.startMs
                placed[index].endMs -= file.startMs
            }
        }
        return placed
    }

    /// Trims spaces only when there are any: Foundation's trimming is slow and most fields have none.
    private static func trimmed(_ field: String) -> String {
        guard field.first == " " || field.last == " " else { return field }
        return field.trimmingCharacters(in: .whitespaces)
    }

    private static func number(_ value: Any?) -> Double? {
        if let double = value as? Double { return double }
        if let int = value as? Int { return Double(int) }
        if let text = value as? String { return Double(text) }
        if let number = value as? NSNumber { return number.doubleValue }
        return nil
    }
}
