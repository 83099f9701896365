public import ArgumentParser
import Catalogue
import EvidenceKit
import Foundation

extension AnnotationFormat: ExpressibleByArgument {}

/// `evidence import-annotations FILE --asset ID --map MAP`.
struct ImportAnnotations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-annotations",
        abstract: "Import BORIS (.boris project or tabular CSV/TSV), ELAN (.eaf) or plain CSV annotations onto a video.",
        discussion: """
            The mapping (JSON) says which pupil each BORIS subject or ELAN tier is, and what each code means:
              {"subjects": {"Amira": "amira-k"}, "codes": {"reach": {"areas": ["exploration"], "responses": ["reaching"]}}}
            A value that is not a code can be written as areas and responses, e.g. "exploration; reaching"; or say
            what to do with such values: "otherValues": "skip" (leave them out) or "note" (keep the value as the
            note, with the fields of the code "*").
            --suggest-map prints a starting mapping for a file (tiers and subjects matched to the roster by name,
            values to the vocabulary), which imports as it is.
            BORIS tabular and aggregated exports are read from their header row, or without one (BORIS 7 wrote a
            grouped aggregated export with none); a .boris project may be gzipped (.boris.gz).
            Everything is imported in one transaction; re-importing the same file creates nothing new.
            """
    )
    @OptionGroup var options: LibraryOptions
    @Argument(help: "The annotation file.") var file: String
    @Option(
        help: ArgumentHelp(
            "The video the annotations describe (id or its first characters); default: each row's media file name. For a file naming several videos, give FILE=ID for each whose name differs from the library's (repeat).",
            valueName: "id|file=id"))
    var asset: [String] = []
    @Option(help: "The mapping file (JSON). Plain CSVs with a pupil column need none.") var map: String?
    @Option(help: "eaf, boris, boris-csv or csv (default: from the file's content).") var format: AnnotationFormat?
    @Option(help: "Which observation of a .boris project (when it has several).") var observation: String?
    @Flag(help: "Show what would be created; write nothing.") var dryRun = false
    @Flag(help: "Print a starting mapping (JSON) for this file, matched to the roster and vocabulary; import nothing.")
    var suggestMap = false
    @Flag(help: "Print JSON on stdout.") var json = false

    func run() async throws {
        try await reportingErrors {
            let session = try options.session()
            let library = session.library
            if suggestMap {
                let suggested = try AnnotationImporter(session).suggestMapping(path: file, format: format, observation: observation)
                return try Self.printMapping(suggested)
            }
            let mapping = try map.map { try AnnotationMapping.load(path: $0) } ?? AnnotationMapping()
            let whole = asset.filter { !$0.contains("=") }
            guard whole.count <= 1 else {
                throw EvidenceError(.usage, "Give one video for the whole file, or FILE=ID for each media file.", field: Field("asset"))
            }
            var byFile: [String: AssetRecord] = [:]
            for pair in asset where pair.contains("=") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty else {
                    throw EvidenceError(.usage, "\"\(pair)\" is not FILE=ID.", field: Field("asset"), value: pair)
                }
                byFile[parts[0]] = try library.resolveAsset(parts[1])
            }
            let report = try AnnotationImporter(session).importAnnotations(
                path: file, asset: whole.first.map { try library.resolveAsset($0) }, assetsByFile: byFile, mapping: mapping,
                format: format, observation: observation, dryRun: dryRun)
            if json { return try Terminal.printJSON(report) }
            let verb = dryRun ? "Would create" : "Created"
            Terminal.print(
                "\(verb) \(report.created) observation\(report.created == 1 ? "" : "s") from \(report.events) \(report.format) events (\(report.alreadyImported) already imported, \(report.ignored) ignored)."
            )
            for line in report.preview { Terminal.print("  \(line)") }
        }
    }
}

extension ImportAnnotations {
    /// Prints a mapping as a person would write it: only the keys that say something (no nulls, no empty lists).
    static func printMapping(_ mapping: AnnotationMapping) throws {
        func pruned(_ value: Any) -> Any? {
            switch value {
            case is NSNull: return nil
            case let list as [Any]: return list.isEmpty ? nil : list.compactMap(pruned)
            case let object as [String: Any]:
                let kept = object.compactMapValues(pruned)
                return kept.isEmpty ? nil : kept
            default: return value
            }
        }
        let raw = try JSONSerialization.jsonObject(with: JSONEncoder().encode(mapping))
        let data = try JSONSerialization.data(
            withJSONObject: pruned(raw) ?? [String: Any](), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        Terminal.write(data + Data("\n".utf8), to: STDOUT_FILENO)
    }
}

/// `evidence export-annotations ASSET --format eaf|csv`.
struct ExportAnnotations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-annotations",
        abstract: "Write a video's observations as an ELAN .eaf, a BORIS project or tabular export, or a CSV (names included: audited).")
    @OptionGroup var options: LibraryOptions
    @Argument(help: "The asset id (or its first characters).") var asset: String
    @Option(help: "eaf, boris (a .boris project, format 7.0), boris-tsv (BORIS's tabular events export) or csv.")
    var format: AnnotationFormat = .eaf
    @Option(help: "Media path or URL the .eaf links to (e.g. a clip you decrypted).") var media: String?
    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.") var output: String?
    @OptionGroup var override: OverrideOptions

    func run() async throws {
        try await reportingErrors {
            let session = try options.session()
            let (text, clearance) = try AnnotationExporter(session).exportAnnotations(
                asset: session.library.resolveAsset(asset), format: format, mediaPath: media, reason: override.reason)
            OverrideOptions.warn(clearance.warnings)
            if let output {
                do {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
                } catch {
                    throw EvidenceError(.failure, "Could not write \(output): \(error.localizedDescription)")
                }
                Terminal.note("Wrote \(output). It names pupils: keep it on school systems.")
            } else {
                Terminal.write(Data(text.utf8), to: STDOUT_FILENO)
            }
        }
    }
}
