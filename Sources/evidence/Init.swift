public import ArgumentParser
import EvidenceKit
import Foundation
public import Vault

/// `evidence init`: creates a library and prints its recovery key once.
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new, empty library protected by a passphrase.",
        discussion: "Prints a recovery key once: write it down and keep it somewhere safe, away from the computer."
    )

    @OptionGroup var options: LibraryOptions

    @Option(help: "How hard the passphrase is to guess-check: interactive, moderate (default) or sensitive.")
    var kdf: KeyDerivationStrength = .moderate

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        try await reportingErrors {
            var passphrase = try options.passphrase(prompt: "New passphrase (at least 8 characters): ")
            if options.passphraseFile == nil, ProcessInfo.processInfo.environment["EVIDENCE_PASSPHRASE"] == nil {
                let again = try options.passphrase(prompt: "Type it again: ")
                guard again == passphrase else { throw EvidenceError(.usage, "The two passphrases differ. Nothing was created.") }
            }
            defer { passphrase = "" }
            let (library, recovery) = try Library.create(
                at: options.root, passphrase: passphrase, strength: kdf,
                createdBy: options.actingHandle ?? LibraryOptions.login)
            if json {
                try Terminal.printJSON(["library": library.layout.root.path, "recoveryKey": recovery])
            } else {
                Terminal.print("Created an evidence library in \(library.layout.root.path)")
                Terminal.print("")
                Terminal.print("Recovery key (shown only now; it opens the library if the passphrase is lost):")
                Terminal.print("  \(recovery)")
            }
        }
    }
}

extension KeyDerivationStrength: ExpressibleByArgument {}
