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

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp(
            "Act as this member of staff, for the audit log and as observer (default: $EVIDENCE_STAFF).",
            valueName: "staff"
        )
    )
    var actingAs: String?

    var root: URL {
        library.map { URL(fileURLWithPath: $0) } ?? LibraryLayout.defaultRoot(environment: ProcessInfo.processInfo.environment)
    }

    /// The passphrase from the file, the environment, or a no-echo prompt, in that order.
    func passphrase(prompt: String = "Passphrase: ") throws(EvidenceError) -> String {
        if let passphraseFile {
            guard let text = try? String(contentsOfFile: passphraseFile, encoding: .utf8) else {
                throw EvidenceError(.usage, "Could not read the passphrase file \(passphraseFile).")
            }
            return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        if let env = ProcessInfo.processInfo.environment["EVIDENCE_PASSPHRASE"], !env.isEmpty { return env }
        guard let typed = Terminal.readSecret(prompt: prompt) else {
            throw EvidenceError(.locked, "No passphrase given.", remedy: .givePassphrase)
        }
        return typed
    }

    /// Opens and unlocks the library: with the key of a running `evidence unlock` agent if there is one, else with
    /// the passphrase.
    func open() throws -> Library {
        try openNamingKeySource().library
    }

    /// Opens and unlocks the library as ``open()`` does, saying whether the key came from the key agent.
    func openNamingKeySource() throws -> (library: Library, fromAgent: Bool) {
        let opened: (Library, Bool) =
            if passphraseFile == nil, let unlocked = Library.openUsingAgent(at: root, socket: agentSocket) { (unlocked, true) } else {
                (try Library.open(at: root, passphrase: passphrase()), false)
            }
        for note in opened.0.upgradeNotes { Terminal.note("Upgraded this library: \(note).") }
        return opened
    }

    /// Where this library's key agent answers (under `$XDG_RUNTIME_DIR` when set).
    var agentSocket: AgentSocket {
        AgentSocket(library: root, runtimeDirectory: ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"])
    }

    /// The login name, for the audit log when nobody from the staff list is named.
    static var login: String {
        let environment = ProcessInfo.processInfo.environment
        return environment["USER"] ?? environment["LOGNAME"] ?? ProcessInfo.processInfo.userName
    }

    /// The zone for camera times without an offset: `EVIDENCE_TIMEZONE`, else Europe/London.
    static var timeZone: TimeZone {
        ProcessInfo.processInfo.environment["EVIDENCE_TIMEZONE"].flatMap(TimeZone.init(identifier:))
            ?? Session.defaultTimeZone
    }

    /// Who is acting: `--as`, else `EVIDENCE_STAFF` (empty means nobody).
    var actingHandle: String? {
        if let actingAs { return actingAs }
        guard let env = ProcessInfo.processInfo.environment["EVIDENCE_STAFF"], !env.isEmpty else { return nil }
        return env
    }

    /// Opens the library and a session acting as `--as` / `EVIDENCE_STAFF` (checked against the staff list).
    func session() throws -> Session {
        try Session(library: open(), acting: actingHandle, login: Self.login, timeZone: Self.timeZone)
    }
}
