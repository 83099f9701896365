import ArgumentParser
import Catalogue
import EvidenceKit
import Foundation

/// `evidence pupils …`: the roster, sealed in the catalogue.
struct Pupils: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pupils",
        abstract: "Add, list, show, edit and import pupils (names, UPN, date of birth and outcomes are stored sealed).",
        subcommands: [Add.self, List.self, ShowPupil.self, Edit.self, Import.self, Merge.self, Remove.self]
    )

    /// Fields shared by `add` and `edit`.
    struct Details: ParsableArguments {
        @Option(help: "Preferred name (known as).") var preferredName: String?
        @Option(help: "The surname, when it is not the name's last word (\"Leo O'Neill Smith\": --surname \"O'Neill Smith\").")
        var surname: String?
        @Option(help: "Unique Pupil Number.") var upn: String?
        @Option(help: ArgumentHelp("Date of birth.", valueName: "YYYY-MM-DD")) var dob: String?
        @Option(help: "Year group, e.g. \"Year 4\".") var year: String?
        @Option(name: .customLong("class"), help: "Class.") var className: String?
        @Option(help: "SEND primary area of need.") var need: String?
        @Option(name: .customLong("outcome"), help: "An EHC plan outcome (repeat, in plan order; numbered from 1).")
        var outcomes: [String] = []
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a pupil.")
        @OptionGroup var options: LibraryOptions
        @Argument(help: "Full name, e.g. \"Amira Khan\".") var name: String
        @Option(help: "Short handle to type later (default: first name and surname initial, e.g. amira-k).")
        var handle: String?
        @OptionGroup var details: Details
        @Flag(help: "Print JSON on stdout.") var json = false

        func run() async throws {
            try await reportingErrors {
                let session = try options.session()
                for namesake in try Roster(session).namesakes(of: name) {
                    Terminal.error(
                        "warning: \(namesake.handle) is already called \(name). If it is the same child, use that handle (`evidence pupils remove` the new one, or `evidence pupils merge NEW into \(namesake.handle)` once it has evidence).")
                }
                let pupil = try Roster(session).addPupil(
                    PupilDraft(
                        handle: handle, name: name, preferredName: details.preferredName, upn: details.upn,
                        dateOfBirth: details.dob, yearGroup: details.year, className: details.className,
                        sendNeed: details.need, outcomes: details.outcomes, surname: details.surname
                    )
                )
                if json { return try Terminal.printJSON(pupil) }
                Terminal.print("Added \(pupil.displayName) as \(pupil.handle).")
                Terminal.note("Record consent next, e.g. `evidence consent set \(pupil.handle) capture granted`.")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List pupils (decrypted for an unlocked library only).")
        @OptionGroup var options: LibraryOptions
        @Option(name: .customLong("class"), help: "Only this class.") var className: String?
        @Flag(help: "Print JSON on stdout.") var json = false

        func run() async throws {
            try await reportingErrors {
                let session = try options.session()
                let library = session.library
                let pupils = try library.pupilDirectory().pupils.filter { className == nil || $0.className == className }
                if json { return try Terminal.printJSON(pupils) }
                if pupils.isEmpty {
                    return Terminal.print("No pupils yet. Add one with `evidence pupils add NAME` or import a roster CSV.")
                }
                printTable(
                    ["HANDLE", "NAME", "YEAR", "CLASS", "OUTCOMES"],
                    pupils.map { [$0.handle, $0.displayName, $0.yearGroup ?? "", $0.className ?? "", String($0.outcomes.count)] }
                )
            }
        }
    }

    struct ShowPupil: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one pupil, with consent.")
        @OptionGroup var options: LibraryOptions
        @Argument(help: "Handle or unambiguous start of a name.") var pupil: String
        @Flag(help: "Print JSON on stdout.") var json = false

        func run() async throws {
            try await reportingErrors {
                let session = try options.session()
                let found = try Roster(session).profile(of: pupil)
                if json { return try Terminal.printJSON(found) }
                let rows: [(String, String?)] = [
                    ("handle", found.handle), ("name", found.name), ("known as", found.preferredName), ("UPN", found.upn),
                    ("born", found.dateOfBirth), ("year", found.yearGroup), ("class", found.className),
                    ("need", found.sendNeed),
                ]
                for case let (label, value?) in rows { Terminal.print(pad(label, 10) + value) }
                for (index, outcome) in found.outcomes.enumerated() { Terminal.print(pad("outcome \(index + 1)", 10) + outcome) }
                let consent = try ConsentRegister(session).consentHistory(pupilID: found.id)
                for (entry, _) in consent {
                    Terminal.print(pad("consent", 10) + "\(entry.purpose.rawValue): \(entry.decision.rawValue) from \(entry.effectiveFrom)")
                }
            }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change a pupil's details (given fields only).")
        @OptionGroup var options: LibraryOptions
        @Argument(help: "Handle or unambiguous start of a name.") var pupil: String
        @Option(help: "New full name.") var name: String?
        @OptionGroup var details: Details
        @Flag(
            inversion: .prefixedNo,
            help: "Whether the pupil is assessed with the engagement model (listed in `evidence report dfe-return`).")
        var engagementModel: Bool?
        @Flag(help: "Print JSON on stdout.") var json = false

        func run() async throws {
            try await reportingErrors {
                let session = try options.session()
                var found = try session.library.pupilDirectory().resolve(pupil, field: Field("pupil"))
                if let name { found.name = name }
                if let value = details.preferredName { found.preferredName = value.isEmpty ? nil : value }
                if let value = details.surname { found.surname = value.isEmpty ? nil : value }
                if let value = details.upn { found.upn = value.isEmpty ? nil : value.uppercased() }
                if let value = details.dob { found.dateOfBirth = value.isEmpty ? nil : try CalendarDate.parse(value, field: Field("dob")) }
                if let value = details.year { found.yearGroup = value.isEmpty ? nil : value }
                if let value = details.className { found.className = value.isEmpty ? nil : value }
                if let value = details.need { found.sendNeed = value.isEmpty ? nil : value }
                if !details.outcomes.isEmpty { found.outcomes = details.outcomes }
                if let engagementModel { found.engagementModel = engagementModel }
                try Roster(session).updatePupil(found)
                if json { return try Terminal.printJSON(found) }
                Terminal.print("Updated \(found.handle).")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import a roster CSV (name, preferred name, UPN, date of birth, year group, class, need, outcomes).",
            discussion: "Pupils are matched by UPN (else handle): known ones are updated, new ones added, all in one transaction."
        )
        @OptionGroup var options: LibraryOptions
        @Argument(help: "The CSV file (header row required).") var file: String
        @Flag(help: "Show what would change; write nothing.") var dryRun = false
        @Flag(help: "Print JSON on stdout.") var json = false

        func run() async throws {
            try await reportingErrors {
                let session = try options.session()
                let report = try Roster(session).importRoster(path: file, dryRun: dryRun)
                if json { return try Terminal.printJSON(report) }
                let verb = dryRun ? "Would add" : "Added"
                Terminal.print("\(verb) \(report.added.count), \(dryRun ? "would update" : "updated") \(report.updated.count), unchanged \(report.unchanged).")
                if !report.added.isEmpty { Terminal.print("New handles: \(report.added.joined(separator: ", "))") }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a pupil added by mistake (refused while observations, appearances or consent refer to them).")
        @OptionGroup var options: LibraryOptions
        @Argument(help: "Handle.") var pupil: String
        @Flag(help: "Print JSON on stdout.") var json = false

        func run() async throws {
            try await reportingErrors {
                let removed = try Roster(try options.session()).remove(pupil)
                if json { return try Terminal.printJSON(["handle": removed.handle]) }
                Terminal.print("Removed \(removed.handle).")
            }
        }
    }

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Merge a pupil entered twice into the one to keep.",
            usage: "evidence pupils merge DUPLICATE into KEEP [--json]",
            discussion: """
                Moves the duplicate's observations (with their history), appearances and consent decisions to the \
                pupil kept, then takes the duplicate off the roster. Audited; `evidence audit --pupil KEEP` lists \
                the duplicate's earlier entries too. Check first with `evidence pupils show` that both are the same child.
                """)
        @OptionGroup var options: LibraryOptions
        @Argument(help: "The handle entered by mistake (it leaves the roster).") var duplicate: String
        @Argument(help: "The word `into`.") var into: String
        @Argument(help: "The handle to keep.") var keep: String
        @Flag(help: "Print JSON on stdout.") var json = false

        func validate() throws {
            guard into.lowercased() == "into" else {
                throw ValidationError("Write it as: evidence pupils merge DUPLICATE into KEEP")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let result = try Roster(try options.session()).merge(duplicate, into: keep)
                if json { return try Terminal.printJSON(result) }
                Terminal.print(
                    "Merged \(result.merged) into \(result.into): \(result.movedObservations) observation row(s), \(result.movedAppearances) appearance(s) and \(result.movedConsentDecisions) consent decision(s) moved; \(result.merged) is no longer on the roster."
                )
            }
        }
    }
}
