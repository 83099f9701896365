import ArgumentParser
import Catalogue
import EvidenceKit
import Foundation

/// `evidence staff add|list`.
struct Staff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Add and list staff (observers and the adults working with pupils).",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a member of staff.")
        @OptionGroup var options: LibraryOptions
        @Argument(help: "Short handle, e.g. ms-patel.") var handle: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Role, e.g. teacher, teaching assistant.") var role: String?
        @Flag(help: "Print JSON on stdout.") var json = false

        func run() async throws {
            try await reportingErrors {
                let member = try StaffList(try options.session()).addStaff(handle: handle, name: name, role: role)
                if json { return try Terminal.printJSON(member) }
                Terminal.print("Added \(member.name) as \(member.handle).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List staff.")
        @OptionGroup var options: LibraryOptions
        @Flag(help: "Print JSON on stdout.") var json = false

        func run() async throws {
            try await reportingErrors {
                let members = try options.open().staffMembers()
                if json { return try Terminal.printJSON(members) }
                printTable(["HANDLE", "NAME", "ROLE"], members.map { [$0.handle, $0.name, $0.role ?? ""] })
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a member of staff added by mistake (refused once they have recorded or been present at anything).")
        @OptionGroup var options: LibraryOptions
        @Argument(help: "Handle.") var handle: String
        @Flag(help: "Print JSON on stdout.") var json = false

        func run() async throws {
            try await reportingErrors {
                let removed = try StaffList(try options.session()).remove(handle)
                if json { return try Terminal.printJSON(["handle": removed.handle]) }
                Terminal.print("Removed \(removed.handle).")
            }
        }
    }
}
