public import ArgumentParser
public import Catalogue
import EvidenceKit
import Foundation

/// `evidence moments ASSET`: the tagged moments of one asset, in time order.
struct Moments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "moments", abstract: "List an asset's tagged moments in time order.")
    @OptionGroup var options: LibraryOptions
    @Argument(help: "Asset id (or its first characters).") var asset: String
    @Flag(help: "Print JSON on stdout.") var json = false

    func run() async throws {
        try await reportingErrors {
            let session = try options.session()
            let library = session.library
            let moments = try Finder(session).moments(of: library.resolveAsset(asset))
            if json { return try Terminal.printJSON(moments) }
            if moments.isEmpty { return Terminal.print("No moments tagged yet. Tag one with `evidence tag \(asset) --pupil …`.") }
            var rows: [[String]] = []
            for moment in moments {
                let range = moment.rangeText
                if moment.observations.isEmpty { rows.append([moment.id.description, range, "", "(all removed)", "", "", ""]) }
                for o in moment.observations {
                    rows.append([
                        moment.id.description, range, o.id.description, o.pupil, o.areas.joined(separator: ","), o.responses.joined(separator: ","),
                        [o.prompt, o.setting, o.note].compactMap { $0 }.joined(separator: "; "),
                    ])
                }
            }
            printTable(["MOMENT", "RANGE", "OBS", "PUPIL", "AREAS", "RESPONSES", "PROMPT; SETTING; NOTE"], rows)
        }
    }
}

/// `evidence appearances ASSET`: who is visible, and whether staff checked.
struct Appearances: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appearances",
        abstract: "Record and show who appears in an asset (needed before sharing: see DESIGN.md's consent rule).",
        discussion: "Example: evidence appearances 3f2a --add leo-m --reviewed    or    evidence appearances 3f2a --none-else"
    )
    @OptionGroup var options: LibraryOptions
    @Argument(help: "Asset id (or its first characters).") var asset: String
    @Option(help: "Pupils also visible (repeat or comma-separate).") var add: [String] = []
    @Flag(help: "Mark the asset as reviewed: the pupils listed are everyone visible.") var reviewed = false
    @Flag(help: "Reviewed, and nobody but the pupils listed is visible.") var noneElse = false
    @Flag(help: "Print JSON on stdout.") var json = false

    func run() async throws {
        try await reportingErrors {
            let session = try options.session()
            let library = session.library
            let view = try Tagger(session).appearances(
                of: library.resolveAsset(asset), add: splitList(add), reviewed: reviewed, noneElse: noneElse)
            if json { return try Terminal.printJSON(view) }
            Terminal.print("Visible: \(view.pupils.isEmpty ? "nobody recorded" : view.pupils.joined(separator: ", "))")
            Terminal.print(
                view.reviewed
                    ? "Reviewed by \(view.reviewedBy ?? "?")\(view.noneElse ? ": nobody else appears." : ".")"
                    : "Not reviewed: it stays out of shared exports until someone checks who else is visible.")
        }
    }
}

/// `evidence vocab list|add`.
struct Vocab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocab",
        abstract: "The school's vocabularies: observed responses and pupils' states (seeded from the engagement model guidance).",
        subcommands: [List.self, Add.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the terms of a vocabulary.")
        @OptionGroup var options: LibraryOptions
        @Option(help: "response (observed responses, the default) or state (the pupil's state at the time).")
        var kind: VocabularyKind = .response
        @Flag(help: "Print JSON on stdout.") var json = false
        func run() async throws {
            try await reportingErrors {
                let terms = try options.open().terms(kind)
                if json { return try Terminal.printJSON(terms) }
                terms.forEach { Terminal.print($0) }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a school's own term (stored sealed).")
        @OptionGroup var options: LibraryOptions
        @Option(help: "response (the default) or state.") var kind: VocabularyKind = .response
        @Argument(help: "The term, e.g. \"hand flapping\" (stored as hand-flapping).") var term: String
        @Flag(help: "Print JSON on stdout.") var json = false

        func run() async throws {
            try await reportingErrors {
                let stored = try VocabularyEditor(try options.session()).addTerm(term, kind: kind)
                if json { return try Terminal.printJSON(["kind": kind.rawValue, "term": stored]) }
                Terminal.print("Added \(kind.rawValue) \(stored).")
            }
        }
    }
}

extension VocabularyKind: ExpressibleByArgument {}
