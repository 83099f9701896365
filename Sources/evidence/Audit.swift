import ArgumentParser
import Catalogue
import EvidenceKit
import Foundation

/// `evidence audit [verify]`.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the append-only audit log, or check its hash chain.",
        subcommands: [List.self, Verify.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Show audit entries, oldest first.")
        @OptionGroup var options: LibraryOptions
        @Option(help: "Only entries about this pupil.") var pupil: String?
        @Option(help: "Only entries about this asset.") var asset: String?
        @Flag(help: "Print JSON on stdout.") var json = false

        func run() async throws {
            try await reportingErrors {
                let session = try options.session()
                let library = session.library
                let who = try pupil.map { try library.pupilDirectory().resolve($0) }
                let record = try asset.map { try library.resolveAsset($0) }
                let entries = try Auditor(session).auditEntries(pupil: who, asset: record)
                if json { return try Terminal.printJSON(entries) }
                let stamp = ISO8601DateFormatter()
                printTable(
                    ["SEQ", "WHEN", "WHO", "ACTION", "ASSET", "PUPIL", "DETAIL"],
                    entries.map {
                        [String($0.seq), stamp.string(from: $0.at), $0.actor, $0.action, $0.asset?.short ?? "", $0.pupil ?? "", $0.detail]
                    })
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "verify", abstract: "Check the audit hash chain (exit 4 if an entry was edited or removed).")
        @OptionGroup var options: LibraryOptions
        @Flag(help: "Print JSON on stdout.") var json = false

        func run() async throws {
            try await reportingErrors {
                let check = try Auditor(try options.session()).checkAudit()
                if json { try Terminal.printJSON(check) }
                if let note = check.note { Terminal.note("Note: \(note).") }
                if let broken = check.firstBroken {
                    throw EvidenceError(
                        .integrity,
                        "The audit log was tampered with at entry \(broken): an entry was edited, removed or inserted. Keep the library as it is and restore the catalogue from a backup to compare."
                    )
                }
                if let problem = check.problem {
                    throw EvidenceError(
                        .integrity,
                        "The audit log does not check: \(problem). Keep the library as it is and restore the catalogue from a backup to compare.")
                }
                if !json { Terminal.print("The audit log is intact: \(check.entries) entries check, up to its anchor.") }
            }
        }
    }
}
