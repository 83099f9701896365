public import EvidenceKit
import Foundation
import Hummingbird
import Logging
import NIOCore

/// The tagging page's HTTP server (`evidence serve`): Hummingbird 2 on the loopback address only, every route
/// behind ``PageGate``'s cookie, the library's key forgotten when it locks.
///
/// ```swift
/// let server = PageServer(session: session, idleMinutes: 30, lockSignal: LockSignal(socket))
/// try await server.run(port: 0, log: { print($0) }) { url in print(url) }
/// ```
public struct PageServer: Sendable {
    /// Who may use the page.
    public let gate: PageGate
    /// Raised by `evidence lock`.
    let lockSignal: LockSignal?
    /// Whether the key's source still stands (the key agent, when the key came from one); checked with the lock.
    let keySourceAlive: @Sendable () -> Bool

    /// A server over `session`, locking after `idleMinutes` without a request, when `lockSignal` is raised, or
    /// when `keySourceAlive` says no.
    public init(
        session: Session, idleMinutes: Int, lockSignal: LockSignal?, keySourceAlive: @escaping @Sendable () -> Bool = { true }
    ) {
        gate = PageGate(session: session, idleMinutes: idleMinutes)
        self.lockSignal = lockSignal
        self.keySourceAlive = keySourceAlive
    }

    /// The routes, in their groups, behind the request log and the guard.
    func router(log: @escaping @Sendable (String) -> Void) -> Router<PageContext> {
        let router = Router(context: PageContext.self)
        router.add(middleware: RequestLog(write: log))
        router.add(middleware: PageGuard(gate: gate))
        PageRoutes.add(to: router, gate: gate)
        MediaRoutes.add(to: router, gate: gate)
        TagRoutes.add(to: router, gate: gate)
        return router
    }

    /// The application, listening on 127.0.0.1 at `port` (0: a free one), without Hummingbird's own log (which
    /// could carry an error's text).
    func application(port: Int, log: @escaping @Sendable (String) -> Void, ready: @escaping @Sendable (Int) -> Void)
        -> some ApplicationProtocol
    {
        var logger = Logger(label: "evidence-serve")
        logger.logLevel = .critical
        let gate = gate
        return Application(
            router: router(log: log),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? port
                gate.port = port
                ready(port)
            },
            logger: logger)
    }

    /// Serves until Ctrl-C or SIGTERM, calling `ready` with the start-up URL once listening; then locks.
    public func run(
        port: Int, log: @escaping @Sendable (String) -> Void, ready: @escaping @Sendable (String) -> Void
    ) async throws {
        let gate = gate
        let app = application(port: port, log: log) { port in ready("http://127.0.0.1:\(port)/open/\(gate.token)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            group.addTask { try await watchForLock(log: log) }
            try await group.next()
            group.cancelAll()
        }
        gate.lock(because: "the server stopped")
    }

    /// How long a locked server goes on answering 401 (so an open page says it is locked) before it stops.
    static let lockedGrace: Duration = .seconds(60)

    /// Checks twice a second for `evidence lock`, the key's source ending, and the idle timeout; locks on the
    /// first, answers 401 for ``lockedGrace``, then returns (which stops the server).
    func watchForLock(log: @Sendable (String) -> Void) async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: .milliseconds(500))
            if let lockSignal, lockSignal.raised(after: gate.openedAt) {
                gate.lock(because: "`evidence lock`")
            } else if !keySourceAlive() {
                gate.lock(because: "the unlock time ended")
            } else if gate.idle() {
                gate.lock(because: "idle for \(Int(gate.idleLimit / 60)) minutes")
            }
            if let reason = gate.lockedBecause {
                log("Locked (\(reason)): every session ended and the key is forgotten; the server stops in a minute.")
                try await Task.sleep(for: Self.lockedGrace)
                return
            }
        }
    }
}
