import ArgumentParser
import EvidenceKit
import Foundation

/// `--library` and `--passphrase-file`, shared by every command that opens a library.
struct LibraryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The library folder (default: $EVIDENCE_LIBRARY or ~/EvidenceLibrary).", valueName: "dir"))
    var library: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Read the passphrase from the first line of this file (else $EVIDENCE_PASSPHRASE, else a prompt).",
            valueName: "file"
        )
    )
    var passphraseFile: String?

    var root: URL {
        library.map { URL(fileURLWithPath: $0) } ?? LibraryLayout.defaultRoot()
    }

    /// The passphrase from the file, the environment, or a no-echo prompt, in that order.
    func passphrase(prompt: String = "Passphrase: ") throws -> String {
        if let passphraseFile {
            guard let text = try? String(contentsOfFile: passphraseFile, encoding: .utf8) else {
                throw EvidenceError(.usage, "Could not read the passphrase file \(passphraseFile).")
            }
            return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        if let env = ProcessInfo.processInfo.environment["EVIDENCE_PASSPHRASE"], !env.isEmpty { return env }
        guard let typed = Terminal.readSecret(prompt: prompt) else {
            throw EvidenceError(
                .locked,
                "No passphrase given. Type it at a terminal, or pass --passphrase-file FILE or EVIDENCE_PASSPHRASE."
            )
        }
        return typed
    }

    /// Opens and unlocks the library: with the key of a running `evidence unlock` agent if there is one, else with
    /// the passphrase.
    func open() throws -> Library {
        if passphraseFile == nil, let library = Library.openUsingAgent(at: root) { return library }
        return try Library.open(at: root, passphrase: passphrase())
    }
}
