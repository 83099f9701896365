public import Catalogue
import Foundation
internal import Vault
internal import Media

/// What an annotation import did (or, with `dryRun`, would do).
public struct AnnotationImportReport: Sendable, Codable {
    /// The format read.
    public var format: String
    /// Events in the file.
    public var events: Int
    /// Observations created.
    public var created: Int
    /// Events already imported before (nothing new made).
    public var alreadyImported: Int
    /// Events of ignored subjects or tiers, or whose values the mapping skips (`"otherValues": "skip"`).
    public var ignored: Int
    /// Whether nothing was written.
    public var dryRun: Bool
    /// The first few observations, as they would be stored.
    public var preview: [String]
}

/// Imports BORIS, ELAN and CSV annotation files as observations, all or nothing, idempotently.
public struct AnnotationImporter: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// Imports a BORIS, ELAN or CSV annotation file, all or nothing.
    ///
    /// Events go onto `asset`, or, when it is nil, onto the video whose original file name matches the event's media
    /// file (BORIS exports that span several observations). Each event becomes a moment with one observation; an
    /// event already imported with the same subject, code and times is not made again, so re-importing a file creates
    /// nothing new.
    ///
    /// `assetsByFile` names the video for a media file (by its file name, any case), for files whose names do not
    /// match the library's (a BORIS playlist of renamed copies): `--asset lesson-part2.mp4=3f2a`.
    public func importAnnotations(
        path: String, asset: AssetRecord?, assetsByFile: [String: AssetRecord] = [:], mapping: AnnotationMapping,
        format: AnnotationFormat? = nil, observation: String? = nil, dryRun: Bool = false
    ) throws(EvidenceError) -> AnnotationImportReport {
        let (format, events, text) = try Self.events(path: path, format: format, observation: observation)
        let keepSource = format != .csv
        if let asset, asset.kind != .video {
            throw EvidenceError(.usage, "Asset \(asset.id.short) is a photo; annotation files describe videos.")
        }
        let files = Set(events.compactMap(\.media))
        if asset != nil, format == .boris, files.count > 1 {
            throw EvidenceError(
                .usage,
                "\(path) plays \(files.count) files one after another (\(files.sorted().map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))): leave out the video, and each part goes to the video of the same name, or name each one as FILE=ID.",
                field: Field("asset"))
        }
        let byFile = Dictionary(assetsByFile.map { (($0.key as NSString).lastPathComponent.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        let videosByName = asset == nil ? try videosByFileName() : [:]
        let context = try TaggingContext.load(session)
        let observer = try session.observer(named: nil)
        var report = AnnotationImportReport(
            format: format.rawValue, events: events.count, created: 0, alreadyImported: 0, ignored: 0, dryRun: dryRun,
            preview: [])
        var planned: [(key: Data, asset: AssetRecord, event: AnnotationEvent, observation: ResolvedObservation, occurredAt: Date)] = []
        var occurrences: [String: Int] = [:]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var days: [Int64: String] = [:]
        for event in events {
            if mapping.ignores(event.subject) {
                report.ignored += 1
                continue
            }
            let target: AssetRecord
            if let asset { target = asset } else { target = try Self.video(for: event, path: path, named: byFile, byName: videosByName) }
            let durationMs = target.durationMs
            if let durationMs, event.endMs > durationMs + 1 {
                throw EvidenceError(
                    .usage,
                    "\(path), \(event.location): ends at \(TimeCode.format(event.endMs)), past the end of the video (\(TimeCode.format(durationMs)))."
                )
            }
            guard let draft = try mapping.draft(for: event, path: path) else {
                report.ignored += 1
                continue
            }
            let occurredAt = target.capturedAt.addingTimeInterval(Double(event.startMs) / 1000)
            // Zones shift by whole minutes, so the day of an instant is the day of its minute: memoise by minute.
            let minute = Int64((occurredAt.timeIntervalSince1970 / 60).rounded(.down))
            let day = days[minute] ?? CalendarDate.day(of: occurredAt, calendar: calendar)
            days[minute] = day
            var resolved: ResolvedObservation
            do {
                resolved = try context.resolve(draft, day: day, library: library)
            } catch {
                throw error.prefixed("\(path), \(event.location)")
            }
            if keepSource {
                resolved.source = AnnotationSource(
                    tier: event.subject, value: event.code, modifier: event.modifier, category: event.category,
                    variables: event.variables)
            }
            let identity = "\(target.id)\u{1F}\(event.subject)\u{1F}\(event.code)\u{1F}\(event.startMs)\u{1F}\(event.endMs)\u{1F}\(draft.pupil)"
            let occurrence = occurrences[identity, default: 0]
            occurrences[identity] = occurrence + 1
            planned.append(
                (library.master.lookupTag("\(identity)\u{1F}\(occurrence)", context: "annotation.import"), target, event, resolved, occurredAt))
        }
        do {
            // One indexed lookup per event: the cost follows the file, not the size of the library.
            let fresh = try catalogue.read { store in try planned.filter { try !store.momentExists(importKey: $0.key) } }
            report.alreadyImported = planned.count - fresh.count
            report.created = fresh.count
            report.preview = fresh.prefix(5).map { item in
                let areas = item.observation.areas.members.map(\.rawValue).joined(separator: ",")
                return "\(item.asset.id.short) \(TimeCode.format(item.event.startMs))–\(TimeCode.format(item.event.endMs)) \(item.observation.pupil.handle) [\(areas)] \(item.observation.responses.joined(separator: ","))"
            }
            guard !dryRun, !fresh.isEmpty else { return report }
            let now = session.clock()
            let records = try fresh.map { item in
                try item.observation.record(
                    moment: MomentID(0), occurredAt: item.occurredAt, observer: observer, now: now, vocabulary: context.vocabulary,
                    master: library.master)
            }
            // An ELAN file is kept (sealed) so that exporting the video again gives back its structure.
            let document = format == .eaf ? try ELANSourceDocuments.store(text, library: library) : nil
            try catalogue.write { store in
                var seen: Set<String> = []
                var created: [AssetID: [ObservationID]] = [:]
                for (item, record) in zip(fresh, records) {
                    var record = record
                    record.momentID = try store.insertMoment(
                        MomentRecord(
                            assetID: item.asset.id, startMs: item.event.startMs, endMs: item.event.endMs,
                            occurredAt: item.occurredAt, importKey: item.key, createdAt: now, createdBy: actor))
                    created[item.asset.id, default: []].append(try store.insertObservation(record))
                    if seen.insert("\(item.asset.id)\u{1F}\(item.observation.pupil.id.rawValue)").inserted {
                        try store.addAppearances(assetID: item.asset.id, pupils: [item.observation.pupil.id], at: now, by: actor)
                    }
                }
                // Each entry names the observations it created (as ranges), so verify can find one deleted later.
                for (assetID, ids) in created.sorted(by: { $0.key < $1.key }) {
                    try store.appendAudit(
                        session.auditDraft(
                            "import-annotations", assetID: assetID,
                            detail: "format=\(format.rawValue) created=\(ids.count) ids=\(ObservationRanges.text(ids))"
                                + (document.map { " doc=\($0)" } ?? "")))
                }
            }
            return report
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// The video an event's media file names: the one given for it (`FILE=ID`), else the one video whose original
    /// file name it is.
    private static func video(
        for event: AnnotationEvent, path: String, named byFile: [String: AssetRecord], byName: [String: [AssetRecord]]
    ) throws(EvidenceError) -> AssetRecord {
        let name = (event.media.map { ($0 as NSString).lastPathComponent } ?? "").lowercased()
        guard !name.isEmpty else {
            throw EvidenceError(.usage, "\(path), \(event.location): no media file named.", field: Field("asset"), remedy: .nameTheVideo)
        }
        if let named = byFile[name] {
            guard named.kind == .video else {
                throw EvidenceError(.usage, "Asset \(named.id.short), given for \(name), is a photo.", field: Field("asset"))
            }
            return named
        }
        guard let matches = byName[name], matches.count == 1, let only = matches.first else {
            let why = byName[name] == nil ? "no video in the library is called" : "several videos are called"
            throw EvidenceError(
                .usage, "\(path), \(event.location): \(why) \(name) (name it with FILE=ID).", field: Field("asset"),
                remedy: .nameTheVideo)
        }
        return only
    }

    /// The events of an annotation file, and its format (detected from the content when not given).
    static func events(path: String, format: AnnotationFormat?, observation: String?) throws(EvidenceError)
        -> (AnnotationFormat, [AnnotationEvent], String)
    {
        let text = try TextFile.readMaybeCompressed(path, what: "annotation")
        let format = format ?? AnnotationFormat.detect(path: path, text: text)
        switch format {
        case .eaf: return (format, try ELANDocument.parse(text, path: path).events(), text)
        case .boris: return (format, try BORISReader.project(text, path: path, observation: observation), text)
        case .borisTable, .borisTSV: return (format, try BORISReader.table(text, path: path), text)
        case .csv: return (format, try PlainAnnotationCSV.read(text, path: path), text)
        }
    }

    /// A starting mapping for an annotation file: each subject or tier whose name is a pupil's handle, forename,
    /// preferred name or full name (one pupil only) goes under `subjects`, the others under `ignore`; each value that
    /// is (or is the start of exactly one) response of the vocabulary, or an engagement area, goes under `codes`; any
    /// other value is skipped
    /// (`"otherValues": "skip"`), so the mapping imports as it is and can be refined by hand. Nothing is written.
    public func suggestMapping(path: String, format: AnnotationFormat? = nil, observation: String? = nil) throws(EvidenceError)
        -> AnnotationMapping
    {
        let (_, events, _) = try Self.events(path: path, format: format, observation: observation)
        let directory = try library.pupilDirectory()
        let vocabulary = Set(try library.terms(.response))
        func pupil(named subject: String) -> String? {
            let wanted = subject.trimmingCharacters(in: .whitespaces).lowercased()
            let matches = directory.pupils.filter { pupil in
                let parts = pupil.nameParts
                let names = [pupil.handle, pupil.name, parts.forename, pupil.preferredName ?? "", "\(parts.forename) \(parts.surname)"]
                return names.contains { !$0.isEmpty && $0.lowercased() == wanted }
            }
            return matches.count == 1 ? matches.first?.handle : nil
        }
        var mapping = AnnotationMapping()
        var subjects: [String: String] = [:]
        var ignore: Set<String> = []
        var noSubject = false
        var codes: [String: AnnotationMapping.Code] = [:]
        var unmapped = false
        for event in events {
            let subject = event.subject.trimmingCharacters(in: .whitespaces)
            if subject.isEmpty || subject.lowercased() == "no focal subject" {
                noSubject = true
            } else if subjects[subject] == nil, !ignore.contains(subject) {
                if let handle = pupil(named: subject) { subjects[subject] = handle } else { ignore.insert(subject) }
            }
            let code = event.code.trimmingCharacters(in: .whitespaces)
            guard !ignore.contains(subject), codes[code] == nil else { continue }
            var meaning = AnnotationMapping.Code()
            let term = Vocabulary.normalise(code)
            // The term itself, or the one term it starts (at least four letters: "reach" for "reaching").
            let starts = term.count >= 4 ? vocabulary.filter { $0.hasPrefix(term) } : []
            if vocabulary.contains(term) {
                meaning.responses = [term]
            } else if starts.count == 1, let only = starts.first {
                meaning.responses = [only]
            } else if let area = try? EngagementArea(parsing: code) {
                meaning.areas = [area.rawValue]
            } else {
                unmapped = true
                continue
            }
            codes[code] = meaning
        }
        if noSubject, Set(subjects.values).count == 1 { mapping.pupil = subjects.values.first }
        mapping.subjects = subjects
        mapping.codes = codes
        mapping.ignore = ignore.isEmpty ? nil : ignore.sorted()
        if unmapped { mapping.otherValues = .skip }
        return mapping
    }

    /// Videos by lower-cased original file name (opened in memory), for files that name their media.
    private func videosByFileName() throws(EvidenceError) -> [String: [AssetRecord]] {
        do {
            var result: [String: [AssetRecord]] = [:]
            for asset in try catalogue.read({ store in try store.allAssets() }) where asset.kind == .video {
                let name = try library.master.open(asset.originalNameSealed, context: "asset.original_name")
                result[(name as NSString).lastPathComponent.lowercased(), default: []].append(asset)
            }
            return result
        } catch {
            throw EvidenceError.from(error)
        }
    }
}

/// Writes a video's observations back out as ELAN `.eaf` or CSV.
public struct AnnotationExporter: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// The sealed original tier and value of imported observations, by observation id (`o12`), in one query per
    /// chunk rather than one per observation.
    private func annotationSources(_ observations: [ObservationView]) throws -> [ObservationID: AnnotationSource] {
        try annotationSources(observations.map(\.id))
    }

    /// The sealed original tier and value of imported observations, by id.
    private func annotationSources(_ ids: [ObservationID]) throws -> [ObservationID: AnnotationSource] {
        let sealed = try catalogue.read { store in try store.sealedSources(ids: ids) }
        var sources: [ObservationID: AnnotationSource] = [:]
        for (id, data) in sealed { sources[id] = try AnnotationSource(sealed: data, master: library.master) }
        return sources
    }

    /// The video's last imported ELAN document, rewritten to the observations as they now stand
    /// (``ELANRewriter``); nil when none was imported.
    private func structuredELAN(
        asset: AssetRecord, observations: [ObservationView], sources: [ObservationID: AnnotationSource], mediaPath: String?
    ) throws(EvidenceError) -> String? {
        let imports: [AuditRecord]
        do {
            imports = try catalogue.read { store in try store.auditEntries(pupilID: nil, assetID: asset.id) }
                .filter { $0.action == "import-annotations" && $0.detail.contains("format=eaf") && $0.detail.contains(" doc=") }
        } catch {
            throw EvidenceError.from(error)
        }
        guard let last = imports.last, let name = last.detail.split(separator: " ").first(where: { $0.hasPrefix("doc=") })?.dropFirst(4)
        else { return nil }
        let text = try ELANSourceDocuments.load(String(name), library: library)
        let document = try ELANDocument.parse(text, path: "the ELAN document imported for asset \(asset.id.short)")
        let origin = document.timeOriginMs
        // What this import made (every version), and which of it is still current.
        let made = ObservationRanges.ids(in: last.detail.split(separator: " ").first { $0.hasPrefix("ids=") }.map { String($0.dropFirst(4)) } ?? "")
        let madeSources: [ObservationID: AnnotationSource]
        let madeDetails: [ObservationDetail]
        do {
            madeDetails = try catalogue.read { store in try store.observationDetails(ids: made) }
            madeSources = try annotationSources(made)
        } catch {
            throw EvidenceError.from(error)
        }
        func key(_ tier: String, _ value: String, _ start: Int64, _ end: Int64) -> String { "\(tier)\u{1F}\(value)\u{1F}\(start)\u{1F}\(end)" }
        var importedKeys: Set<String> = []
        for detail in madeDetails {
            guard let source = madeSources[detail.observation.id], let start = detail.startMs, let end = detail.endMs else { continue }
            importedKeys.insert(key(source.tier, source.value, start, end))
        }
        var current: [String: ObservationView] = [:]
        for observation in observations {
            guard let source = sources[observation.id], let start = observation.startMs, let end = observation.endMs else { continue }
            current[key(source.tier, source.value, start, end)] = observation
        }
        var gone: Set<String> = []
        var shown: Set<ObservationID> = []
        for annotation in document.annotations {
            let k = key(annotation.tier, annotation.value, annotation.startMs + origin, annotation.endMs + origin)
            if let kept = current[k] {
                shown.insert(kept.id)
            } else if importedKeys.contains(k) {
                gone.insert(annotation.id)
            }
        }
        let durationMs = asset.durationMs ?? 0
        let additions = observations.filter { !shown.contains($0.id) }.map { observation in
            ELANRewriter.Addition(
                tier: sources[observation.id]?.tier ?? observation.pupil, startMs: (observation.startMs ?? 0) - origin,
                endMs: (observation.endMs ?? durationMs) - origin,
                value: sources[observation.id]?.value ?? (observation.areas + observation.responses).joined(separator: "; "))
        }
        return try ELANRewriter.rewrite(
            text, dropping: ELANRewriter.closure(of: gone, in: document), additions: additions, mediaURL: mediaPath)
    }

    /// Writes an asset's current observations as ELAN `.eaf` (linked to `mediaPath` if given), a BORIS project
    /// (`.boris`, format 7.0) or tabular events export (`boris-tsv`), or the plain CSV.
    ///
    /// Imported observations keep their original tier (or subject), value and modifiers, so eaf → evidence → eaf
    /// and boris → evidence → boris give back the same times (to the millisecond) and values; others go on a tier or
    /// subject per pupil with `areas; responses` as the value (which imports back as the same areas and responses).
    ///
    /// It names pupils and what was seen of them, so it goes through the consent gate like the media itself.
    public func exportAnnotations(
        asset: AssetRecord, format: AnnotationFormat, mediaPath: String?, reason: String? = nil
    ) throws(EvidenceError) -> (text: String, clearance: OutputClearance) {
        guard format != .borisTable else {
            throw EvidenceError(
                .usage, "Export writes eaf, boris (a project), boris-tsv (a tabular events export) or csv.", field: Field("format"),
                value: format.rawValue)
        }
        let observations = try Finder(session).moments(of: asset).flatMap(\.observations)
        let durationMs = asset.durationMs ?? 0
        let clearance = try session.clearOutput(
            "export-annotations", asset: asset, reason: reason,
            detail: "format=\(format.rawValue) observations=\(observations.count)")
        let sources: [ObservationID: AnnotationSource]
        do {
            sources = try annotationSources(observations)
        } catch {
            throw EvidenceError.from(error)
        }
        switch format {
        case .eaf:
            if let structured = try structuredELAN(asset: asset, observations: observations, sources: sources, mediaPath: mediaPath) {
                return (structured, clearance)
            }
            var tiers: [(name: String, annotations: [(startMs: Int64, endMs: Int64, value: String)])] = []
            for observation in observations {
                let source = sources[observation.id]
                let tier = source?.tier ?? observation.pupil
                let value = source?.value ?? (observation.areas + observation.responses).joined(separator: "; ")
                let entry = (startMs: observation.startMs ?? 0, endMs: observation.endMs ?? durationMs, value: value)
                if let index = tiers.firstIndex(where: { $0.name == tier }) {
                    tiers[index].annotations.append(entry)
                } else {
                    tiers.append((tier, [entry]))
                }
            }
            return (ELANDocument.write(tiers: tiers, mediaURL: mediaPath), clearance)
        case .csv:
            var lines = [CSVText.line(PlainAnnotationCSV.columns)]
            for o in observations {
                let range = [TimeCode.format(o.startMs ?? 0), TimeCode.format(o.endMs ?? durationMs), o.pupil]
                lines.append(CSVText.line(range + ObservationFields.Key.allCases.map(o.fields.text)))
            }
            return (lines.joined(separator: "\n") + "\n", clearance)
        case .boris, .borisTSV:
            let entries = observations.map { observation in
                let source = sources[observation.id]
                return BORISWriter.Entry(
                    subject: source?.tier ?? observation.pupil,
                    code: source?.value ?? (observation.areas + observation.responses).joined(separator: "; "),
                    modifier: source?.modifier ?? "", startMs: observation.startMs ?? 0, endMs: observation.endMs ?? durationMs,
                    category: source?.category ?? "", variables: source?.variables ?? "")
            }
            let name: String
            do { name = try library.master.open(asset.originalNameSealed, context: "asset.original_name") } catch {
                throw EvidenceError.from(error)
            }
            let media = mediaPath ?? (name as NSString).lastPathComponent
            let date = CaptureTime.format(asset.capturedAt, offsetSeconds: asset.utcOffsetSeconds ?? 0)
            let write = format == .boris ? BORISWriter.project : BORISWriter.table
            return (
                write(entries, (name as NSString).lastPathComponent, media, asset.durationMs, asset.frameRate, String(date.prefix(19))),
                clearance
            )
        case .borisTable:
            preconditionFailure("refused above")
        }
    }
}
