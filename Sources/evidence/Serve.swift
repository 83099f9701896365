import ArgumentParser
import EvidenceKit
import EvidenceWeb
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `evidence serve`: the tagging page, on this computer only.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Open the tagging page: watch videos from the vault and mark moments with the keyboard.",
        discussion: """
            Prints one link with a one-time key in it: open it in a browser on this computer (only 127.0.0.1 is \
            served). Everything saved in the page is recorded as the member of staff who started it (--as). \
            Ctrl-C, `evidence lock`, or --idle-minutes without use close the page and forget the key.
            Press ? in the page for its keys.
            """
    )
    @OptionGroup var options: LibraryOptions
    @Option(help: "The port to listen on (0: any free port; the link shows which).") var port = 8765
    @Option(help: "Close the page after this many minutes without use.") var idleMinutes = 30
    @Flag(help: "Open the link in the default browser as well.") var open = false
    @Flag(help: "Print the link as JSON ({\"url\", \"port\"}) instead of a line.") var json = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard (1...720).contains(idleMinutes) else { throw ValidationError("--idle-minutes must be between 1 and 720.") }
    }

    func run() async throws {
        try await reportingErrors { try await serve() }
    }

    private func serve() async throws {
            let (library, fromAgent) = try options.openNamingKeySource()
            let session = try Session(
                library: library, acting: options.actingHandle, login: LibraryOptions.login, timeZone: LibraryOptions.timeZone)
            guard case .staff(let member) = session.actor else {
                throw EvidenceError(
                    .usage, "The tagging page records what is saved as the member of staff who started it, and nobody on the staff list was named.",
                    field: Field("as"), remedy: .sayWhoIsActing)
            }
            let socket = options.agentSocket
            // A key from the agent ends with it (`unlock --minutes` ran out); one from the passphrase lasts till a lock.
            let keySourceAlive: @Sendable () -> Bool = { !fromAgent || KeyAgent.isRunning(at: socket) }
            let server = PageServer(
                session: session, idleMinutes: idleMinutes, lockSignal: LockSignal(socket), keySourceAlive: keySourceAlive)
            let json = json
            let open = open
            try await server.run(port: port, log: { Terminal.note($0) }) { url in
                if json {
                    let port = URLComponents(string: url)?.port ?? 0
                    Terminal.print(#"{"port":\#(port),"url":"\#(url)"}"#)
                } else {
                    Terminal.print(url)
                }
                Terminal.note(
                    "The tagging page is open for \(member.handle). Open the link once in a browser on this computer; Ctrl-C or `evidence lock` closes it.")
                if open { Self.openInBrowser(url) }
            }
            Terminal.note("The tagging page is closed and the key forgotten.")
    }

    /// Hands the link to the desktop's opener (xdg-open), without waiting for it.
    static func openInBrowser(_ url: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xdg-open", url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { Terminal.note("Could not open a browser (\(error)); open the link by hand.") }
    }
}
