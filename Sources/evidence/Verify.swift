import ArgumentParser
import Catalogue
import EvidenceKit
import Foundation

/// `evidence verify [--read-data]`: catalogue ↔ vault consistency, optionally authenticating every byte.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that the catalogue and the encrypted vault agree (exit 4 if not).",
        discussion: "With --read-data every stored byte is decrypted and authenticated, like `restic check --read-data`."
    )

    @OptionGroup var options: LibraryOptions

    @Flag(help: "Decrypt and authenticate every chunk of every asset.")
    var readData = false

    @Flag(help: "Print JSON on stdout.")
    var json = false

    func run() async throws {
        var broken = false
        try await reportingErrors {
            let session = try options.session()
            let report = try Verifier(session).verify(readData: readData)
            broken = !report.problems.isEmpty
            if json {
                try Terminal.printJSON(report)
            } else {
                for problem in report.problems { Terminal.error("asset \(problem.asset): \(problem.problem)") }
                let mode = readData ? "every byte authenticated" : "structure only; add --read-data to check every byte"
                Terminal.print(
                    broken
                        ? "\(report.problems.count) problems in \(report.assetsChecked) assets (\(mode))."
                        : "OK: \(report.assetsChecked) assets, \(report.auditEntries) audit entries (\(mode))."
                )
            }
        }
        if broken { throw ExitCode(ExitStatus.integrity.rawValue) }
    }
}
