import ArgumentParser
import EvidenceKit
import Foundation
import Media

/// `evidence probe FILE…`: metadata of files without ingesting them (no library needed).
struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what ingest would read from files (time, device, place, codecs) without storing them."
    )

    @Argument(help: "Files to probe.", completion: .file())
    var files: [String]

    @Option(help: "Zone for camera times without an offset.")
    var timeZone = "Europe/London"

    func run() async throws {
        var failed = false
        try await reportingErrors {
            guard let zone = TimeZone(identifier: timeZone) else {
                throw EvidenceError(.usage, "Unknown time zone \(timeZone); use a name like Europe/London.")
            }
            var results: [String: AssetView] = [:]
            for file in files {
                do {
                    let info = try MediaProbe.probe(path: file, timeZone: zone)
                    results[file] = AssetView.probed(info, name: (file as NSString).lastPathComponent, timeZone: zone)
                } catch {
                    failed = true
                    Terminal.error(EvidenceError.from(error).message)
                }
            }
            try Terminal.printJSON(results)
        }
        if failed { throw ExitCode(ExitStatus.someFailed.rawValue) }
    }
}
