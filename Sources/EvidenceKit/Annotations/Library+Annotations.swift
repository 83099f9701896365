public import Catalogue
public import Foundation
internal import GRDB
internal import Vault

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
    /// Events of ignored subjects or tiers.
    public var ignored: Int
    /// Whether nothing was written.
    public var dryRun: Bool
    /// The first few observations, as they would be stored.
    public var preview: [String]
}

extension Library {
    /// Imports a BORIS, ELAN or CSV annotation file onto a video, all or nothing.
    ///
    /// Each event becomes a moment with one observation; an event already imported from any file with the same
    /// subject, code and times is not made again, so re-importing a file creates nothing new.
    public func importAnnotations(
        path: String, asset: AssetRecord, mapping: AnnotationMapping, format: AnnotationFormat? = nil,
        observation: String? = nil, dryRun: Bool = false
    ) throws(EvidenceError) -> AnnotationImportReport {
        let text = try TextFile.read(path, what: "annotation")
        let format = format ?? AnnotationFormat.detect(path: path, text: text)
        let events: [AnnotationEvent]
        var keepSource = true
        switch format {
        case .eaf: events = try ELANDocument.parse(text, path: path).events()
        case .boris: events = try BORISReader.project(text, path: path, observation: observation)
        case .borisTable: events = try BORISReader.table(text, path: path)
        case .csv:
            events = try PlainAnnotationCSV.read(text, path: path)
            keepSource = false
        }
        guard asset.kind == "video" else {
            throw EvidenceError(.usage, "Asset \(asset.id.prefix(8)) is a photo; annotation files describe videos.")
        }
        let durationMs = asset.durationSeconds.map { Int64(($0 * 1000).rounded(.down)) }
        let context = try taggingContext()
        var report = AnnotationImportReport(
            format: format.rawValue, events: events.count, created: 0, alreadyImported: 0, ignored: 0, dryRun: dryRun,
            preview: [])
        var planned: [(key: Data, event: AnnotationEvent, observation: ResolvedObservation, occurredAt: Date)] = []
        var occurrences: [String: Int] = [:]
        for event in events {
            if mapping.ignores(event.subject) {
                report.ignored += 1
                continue
            }
            if let durationMs, event.endMs > durationMs + 1 {
                throw EvidenceError(
                    .usage,
                    "\(path), \(event.location): ends at \(TimeCode.format(event.endMs)), past the end of the video (\(TimeCode.format(durationMs)))."
                )
            }
            let draft = try mapping.draft(for: event, path: path)
            let occurredAt = asset.capturedAt.addingTimeInterval(Double(event.startMs) / 1000)
            var resolved: ResolvedObservation
            do {
                resolved = try context.resolve(draft, day: CalendarDate.day(of: occurredAt, in: timeZone), library: self)
            } catch {
                throw EvidenceError(.usage, "\(path), \(event.location): \(error.message)")
            }
            if keepSource { resolved.source = AnnotationSource(tier: event.subject, value: event.code) }
            let identity = "\(asset.id)\u{1F}\(event.subject)\u{1F}\(event.code)\u{1F}\(event.startMs)\u{1F}\(event.endMs)\u{1F}\(draft.pupil)"
            let occurrence = occurrences[identity, default: 0]
            occurrences[identity] = occurrence + 1
            planned.append((master.lookupTag("\(identity)\u{1F}\(occurrence)", context: "annotation.import"), event, resolved, occurredAt))
        }
        do {
            let existing = try catalogue.read { db in
                try Set(Data.fetchAll(db, sql: "SELECT import_key FROM moment WHERE asset_id = ? AND import_key IS NOT NULL", arguments: [asset.id]))
            }
            let fresh = planned.filter { !existing.contains($0.key) }
            report.alreadyImported = planned.count - fresh.count
            report.created = fresh.count
            report.preview = fresh.prefix(5).map { item in
                let areas = EngagementArea.areas(in: item.observation.areas).map(\.rawValue).joined(separator: ",")
                return "\(TimeCode.format(item.event.startMs))–\(TimeCode.format(item.event.endMs)) \(item.observation.pupil.handle) [\(areas)] \(item.observation.responses.joined(separator: ","))"
            }
            guard !dryRun, !fresh.isEmpty else { return report }
            try catalogue.write { db in
                for item in fresh {
                    let moment = try momentID(
                        db, assetID: asset.id, start: item.event.startMs, end: item.event.endMs, occurredAt: item.occurredAt,
                        importKey: item.key)
                    _ = try insertObservation(db, momentID: moment, occurredAt: item.occurredAt, item.observation)
                    try addAppearances(db, assetID: asset.id, pupils: [item.observation.pupil])
                }
                try catalogue.appendAudit(
                    db, actor: actor, action: "import-annotations", assetID: asset.id,
                    detail: "format=\(format.rawValue) created=\(fresh.count)")
            }
            return report
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Writes an asset's current observations as ELAN `.eaf` (linked to `mediaPath` if given) or the plain CSV.
    ///
    /// Imported observations keep their original tier and value, so eaf → evidence → eaf gives back the same times
    /// (to the millisecond) and values; others go on a tier per pupil with `areas; responses` as the value.
    public func exportAnnotations(asset: AssetRecord, format: AnnotationFormat, mediaPath: String?) throws(EvidenceError) -> String {
        let observations = try moments(of: asset).flatMap(\.observations)
        let durationMs = asset.durationSeconds.map { Int64(($0 * 1000).rounded(.down)) } ?? 0
        var sources: [String: AnnotationSource] = [:]
        do {
            try catalogue.read { db in
                for observation in observations {
                    if let sealed = try Data.fetchOne(
                        db, sql: "SELECT source_sealed FROM observation WHERE id = ?", arguments: [Int64(observation.id.dropFirst())!])
                    {
                        sources[observation.id] = try openProfile(sealed, as: AnnotationSource.self, context: "observation.source")
                    }
                }
            }
            try audit("export-annotations", assetID: asset.id, detail: "format=\(format.rawValue) observations=\(observations.count)")
        } catch {
            throw EvidenceError.from(error)
        }
        switch format {
        case .eaf:
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
            return ELANDocument.write(tiers: tiers, mediaURL: mediaPath)
        case .csv:
            var lines = [PlainAnnotationCSV.line(PlainAnnotationCSV.columns)]
            for o in observations {
                lines.append(
                    PlainAnnotationCSV.line([
                        TimeCode.format(o.startMs ?? 0), TimeCode.format(o.endMs ?? durationMs), o.pupil,
                        o.areas.joined(separator: ";"), o.responses.joined(separator: ";"), o.intent ?? "", o.prompt ?? "",
                        o.activity ?? "", o.setting ?? "", o.equipment ?? "", o.note ?? "",
                    ]))
            }
            return lines.joined(separator: "\n") + "\n"
        case .boris, .borisTable:
            throw EvidenceError(.usage, "Export writes eaf or csv; BORIS imports the csv as a tabular file.")
        }
    }
}
