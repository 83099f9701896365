import ArgumentParser
import EvidenceKit
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `evidence unlock`: keep the key in a session agent so the next commands skip the passphrase and Argon2.
struct Unlock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Keep this library unlocked for a while (like ssh-agent), then forget the key.",
        discussion: """
            The key stays in a small background process that answers only your user, through a socket in a folder
            only you can open. `evidence lock` forgets it at once. Use it on a machine only you are logged in to.
            """
    )
    @OptionGroup var options: LibraryOptions
    @Option(help: "Minutes to stay unlocked.") var minutes = 30
    @Flag(help: "Say whether the library is unlocked, until when, and whether the agent's memory is protected; change nothing.")
    var status = false
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        guard (1...720).contains(minutes) else { throw ValidationError("--minutes must be between 1 and 720.") }
    }

    func run() async throws {
        try await reportingErrors {
            if status { return try printStatus() }
            let library = try Library.open(at: options.root, passphrase: options.passphrase())
            // The acting member is checked against the staff list like any other command's.
            let session = try Session(
                library: library, acting: options.actingHandle, login: LibraryOptions.login, timeZone: LibraryOptions.timeZone)
            let program = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            let seconds = minutes * 60
            try library.startAgent(
                program: program, arguments: ["agent", "--library", library.layout.root.path, "--seconds", String(seconds)],
                socket: options.agentSocket, seconds: seconds, actor: session.actor.auditName)
            if json {
                let until = Date().addingTimeInterval(TimeInterval(seconds))
                return try Terminal.printJSON(Unlocked(unlocked: true, minutes: minutes, until: until))
            }
            Terminal.print("Unlocked for \(minutes) minutes. `evidence lock` forgets the key sooner.")
        }
    }
}

extension Unlock {
    /// `unlock --status`: asks the agent, needs no passphrase.
    func printStatus() throws {
        let status = KeyAgent.status(at: options.agentSocket)
        if json {
            return try Terminal.printJSON(
                AgentState(unlocked: status != nil, until: status?.until, agentProcess: status.map { Int($0.processID) },
                    memoryProtected: status.map { !$0.dumpable }))
        }
        guard let status else { return Terminal.print("Locked: no key agent is running for this library.") }
        let until = status.until.formatted(date: .omitted, time: .shortened)
        Terminal.print(
            "Unlocked until \(until) (agent process \(status.processID); its memory is \(status.dumpable ? "NOT protected from core dumps and debuggers" : "protected from core dumps and debuggers")).")
    }
}

/// What `unlock --status --json` prints.
private struct AgentState: Encodable {
    var unlocked: Bool
    var until: Date?
    var agentProcess: Int?
    var memoryProtected: Bool?
}

/// What `unlock --json` prints.
private struct Unlocked: Encodable {
    var unlocked: Bool
    var minutes: Int
    var until: Date
}

/// `evidence lock`: tell the agent to forget the key.
struct Lock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        abstract: "Forget the key kept by `evidence unlock`, and end every open tagging page (`evidence serve`).")
    @OptionGroup var options: LibraryOptions
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let result = KeyAgent.stop(at: options.agentSocket)
            // A running `evidence serve` holds a key of its own: it watches this and ends its sessions.
            LockSignal(options.agentSocket).raise()
            if json {
                try Terminal.printJSON(["wasUnlocked": result != .notRunning, "locked": result != .stillRunning])
            } else {
                switch result {
                case .stopped: Terminal.print("Locked.")
                case .notRunning:
                    Terminal.print("No key was kept by `evidence unlock`. Any open tagging page (`evidence serve`) closes within a second.")
                case .stillRunning: break
                }
            }
            if result == .stillRunning {
                throw EvidenceError(
                    .failure,
                    "The key agent was asked to forget the key but still answers. End it with `pkill -f 'evidence agent'`, or log out.")
            }
        }
    }
}

/// The agent process itself (started by `unlock`; hidden).
struct Agent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agent", shouldDisplay: false)
    @Option var library: String
    @Option var seconds: Int

    func run() async throws {
        // Leave the terminal's session so closing the shell or Ctrl-C does not take the agent with it.
        setsid()
        try await reportingErrors {
            let socket = AgentSocket(
                library: URL(fileURLWithPath: library), runtimeDirectory: ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"])
            try KeyAgent.serve(at: socket, seconds: seconds, input: STDIN_FILENO)
        }
    }
}
