import ArgumentParser
import Catalogue
import EvidenceKit
import Foundation

/// `evidence ingest PATH…`: encrypts new photos and videos into the library.
struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Copy photos and videos into the library, encrypted (files or folders such as a card's DCIM/).",
        discussion: """
            Duplicates (same content under any name) and files ingested before are skipped; files that are not
            photos or videos are skipped with a reason; damaged files are reported and the rest carry on.
            Exit code 1 if any file failed.
            """
    )

    @OptionGroup var options: LibraryOptions

    @Argument(help: "Files or folders to ingest.", completion: .file())
    var paths: [String]

    @Flag(help: "Delete each original after its encrypted copy is stored and read back verified.")
    var move = false

    @Flag(help: "Read every file in full, even ones this library has seen on the card before.")
    var rehash = false

    @Flag(help: "Print a machine-readable summary on stdout.")
    var json = false

    @Flag(help: "No progress bar.")
    var quiet = false

    func run() async throws {
        var failed = false
        try await reportingErrors {
            let session = try options.session()
            var ingestOptions = IngestOptions()
            ingestOptions.move = move
            ingestOptions.rehash = rehash
            let bar: ProgressBar? = (!quiet && Terminal.stderrIsTerminal) ? ProgressBar() : nil
            let report = try await Ingestor(session).ingest(paths: paths, options: ingestOptions, progress: bar)
            failed = report.anyFailed
            for file in report.files {
                switch file.status {
                case .failed: Terminal.error(escapedForTerminal(file.reason ?? "\(file.path) failed."))
                case .skipped: Terminal.note("skipped: \(escapedForTerminal(file.reason ?? file.path))")
                default: break
                }
            }
            if json {
                try Terminal.printJSON(IngestSummary(report))
            } else {
                printHuman(report)
            }
        }
        if failed { throw ExitCode(ExitStatus.someFailed.rawValue) }
    }

    private func printHuman(_ report: IngestReport) {
        let mbps = report.seconds > 0 ? Double(report.bytesEncrypted) / report.seconds / 1e6 : 0
        let counts = [
            "\(report.count(.ingested)) ingested", "\(report.count(.duplicate)) duplicate",
            "\(report.count(.alreadyIngested)) already in the library", "\(report.count(.skipped)) skipped",
            "\(report.count(.failed)) failed",
        ]
        let speed = String(format: "%.1f s (%.0f MB/s)", report.seconds, mbps)
        Terminal.print("\(counts.joined(separator: ", ")) — \(Terminal.bytes(report.bytesEncrypted)) encrypted in \(speed)")
        if move {
            Terminal.print("\(report.files.filter(\.movedOriginal).count) originals deleted after verification.")
        }
    }
}

/// The `--json` shape of an ingest.
struct IngestSummary: Encodable {
    var batch: Int64
    var ingested: Int
    var duplicates: Int
    var alreadyIngested: Int
    var skipped: Int
    var failed: Int
    var bytesEncrypted: Int64
    var seconds: Double
    var files: [IngestOutcome]

    init(_ report: IngestReport) {
        batch = report.batchID
        ingested = report.count(.ingested)
        duplicates = report.count(.duplicate)
        alreadyIngested = report.count(.alreadyIngested)
        skipped = report.count(.skipped)
        failed = report.count(.failed)
        bytesEncrypted = report.bytesEncrypted
        seconds = Rounded.seconds(report.seconds)
        files = report.files
    }
}
