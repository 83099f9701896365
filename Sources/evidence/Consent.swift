public import ArgumentParser
public import Catalogue
import EvidenceKit
import Foundation

extension ConsentPurpose: ExpressibleByArgument {}
extension ConsentDecision: ExpressibleByArgument {}

/// `evidence consent set|show`: the consent register, kept as history.
struct Consent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent",
        abstract: "Record and show consent (capture, family-sharing, appear-in-others, moderation, training).",
        subcommands: [Set.self, Show.self, Import.self]
    )

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Record a consent decision; earlier decisions are kept as history.",
            discussion: "Example: evidence consent set amira-k family-sharing withdrawn --from 2027-01-10"
        )
        @OptionGroup var options: LibraryOptions
        @Argument(help: "Pupil handle or unambiguous name start.") var pupil: String
        @Argument(help: "capture, family-sharing, appear-in-others, moderation or training.") var purpose: ConsentPurpose
        @Argument(help: "granted, refused or withdrawn.") var decision: ConsentDecision
        @Option(help: ArgumentHelp("First day it applies (default today).", valueName: "YYYY-MM-DD")) var from: String?
        @Option(help: "A note (stored sealed), e.g. where the form is filed.") var note: String?
        @Flag(help: "Print JSON on stdout.") var json = false

        func run() async throws {
            try await reportingErrors {
                let session = try options.session()
                let library = session.library
                let found = try library.pupilDirectory().resolve(pupil, field: Field("pupil"))
                let entry = try ConsentRegister(session).setConsent(
                    pupil: found, purpose: purpose, decision: decision, effectiveFrom: from, note: note)
                if json { return try Terminal.printJSON(ConsentRow(entry, pupil: found.handle, note: note)) }
                Terminal.print("\(found.handle): \(purpose.rawValue) \(decision.rawValue) from \(entry.effectiveFrom).")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the consent register (one pupil, or everyone).")
        @OptionGroup var options: LibraryOptions
        @Argument(help: "Pupil handle or name start (default: everyone).") var pupil: String?
        @Flag(help: "Print JSON on stdout.") var json = false

        func run() async throws {
            try await reportingErrors {
                let session = try options.session()
                let library = session.library
                let directory = try library.pupilDirectory()
                let only = try pupil.map { try directory.resolve($0, field: Field("pupil")) }
                let rows = try ConsentRegister(session).consentHistory(pupilID: only?.id).map { entry, note in
                    ConsentRow(entry, pupil: directory.pupil(id: entry.pupilID)?.handle ?? "?", note: note)
                }
                if json { return try Terminal.printJSON(rows) }
                if rows.isEmpty { return Terminal.print("No consent recorded yet. Use `evidence consent set PUPIL PURPOSE granted`.") }
                let stamp = ISO8601DateFormatter()
                printTable(
                    ["PUPIL", "PURPOSE", "DECISION", "FROM", "RECORDED", "BY", "NOTE"],
                    rows.map { [$0.pupil, $0.purpose, $0.decision, $0.from, stamp.string(from: $0.recordedAt), $0.recordedBy, $0.note ?? ""] }
                )
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Record many decisions from a CSV with columns pupil,purpose,decision,from,note (one transaction).")
        @OptionGroup var options: LibraryOptions
        @Argument(help: "The CSV file.") var file: String
        @Flag(help: "Print JSON on stdout.") var json = false

        func run() async throws {
            try await reportingErrors {
                let count = try ConsentRegister(try options.session()).importConsent(path: file)
                if json { return try Terminal.printJSON(["recorded": count]) }
                Terminal.print("Recorded \(count) consent decision\(count == 1 ? "" : "s").")
            }
        }
    }
}

/// One consent decision as `consent set` and `consent show` print it.
struct ConsentRow: Encodable {
    var pupil: String
    var purpose: String
    var decision: String
    var from: String
    var recordedAt: Date
    var recordedBy: String
    var note: String?

    init(_ entry: ConsentEntry, pupil: String, note: String?) {
        self.pupil = pupil
        purpose = entry.purpose.rawValue
        decision = entry.decision.rawValue
        from = entry.effectiveFrom
        recordedAt = entry.recordedAt
        recordedBy = entry.recordedBy
        self.note = note
    }
}
