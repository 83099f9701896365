import ArgumentParser
import EvidenceKit
import Foundation
import Media
import Synchronization

/// `evidence probe FILE…`: metadata of files without ingesting them (no library needed).
struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Show what ingest would read from files (time, device, place, codecs) without storing them."
    )

    @Argument(help: "Files to probe, or folders (their files, not their subfolders; hidden ones skipped).", completion: .file())
    var files: [String]

    /// The files named, a folder standing for the files in it (sorted by name).
    var expanded: [String] {
        files.flatMap { path -> [String] in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [path] }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.filter { !$0.hasPrefix(".") }.sorted().map { (path as NSString).appendingPathComponent($0) }.filter { file in
                var sub: ObjCBool = false
                return FileManager.default.fileExists(atPath: file, isDirectory: &sub) && !sub.boolValue
            }
        }
    }

    @Option(help: "Zone for camera times without an offset.")
    var timeZone = "Europe/London"

    func run() async throws {
        var failed = false
        try await reportingErrors {
            guard let zone = TimeZone(identifier: timeZone) else {
                throw EvidenceError(.usage, "Unknown time zone \(timeZone); use a name like Europe/London.")
            }
            // On every core (as ingest probes): a card of a thousand photos is read in parallel, reported in order.
            let files = expanded
            let outcomes = Mutex([Result<AssetView, EvidenceError>?](repeating: nil, count: files.count))
            DispatchQueue.concurrentPerform(iterations: files.count) { index in
                let file = files[index]
                let outcome: Result<AssetView, EvidenceError>
                do {
                    let info = try MediaProbe.probe(path: file, timeZone: zone)
                    outcome = .success(AssetView.probed(info, name: (file as NSString).lastPathComponent, timeZone: zone))
                } catch {
                    outcome = .failure(EvidenceError.from(error))
                }
                outcomes.withLock { $0[index] = outcome }
            }
            var results: [String: AssetView] = [:]
            for (file, outcome) in zip(files, outcomes.withLock { $0 }) {
                switch outcome {
                case .success(let view): results[file] = view
                case .failure(let error):
                    failed = true
                    Terminal.error(error.message)
                case nil: break
                }
            }
            try Terminal.printJSON(results)
        }
        if failed { throw ExitCode(ExitStatus.someFailed.rawValue) }
    }
}
