public import EvidenceKit
import Catalogue
public import Foundation
import Synchronization

/// Who may use the tagging page, and for how long: the one-time start-up token, the session cookies it was traded
/// for, and the open library, all forgotten together when the library is locked.
///
/// Locking (``lock(because:)``: `evidence lock`, Ctrl-C or the idle timeout) drops every session and the
/// ``EvidenceKit/Session`` that holds the library, so its key is wiped once the last request using it has finished.
public final class PageGate: Sendable {
    /// One browser's use of the page.
    struct PageSession {
        /// Assets whose first view in this session has been audited.
        var viewed: Set<AssetID> = []
        /// The saves this session can undo, newest last.
        var saves: [ObservationID] = []
        /// The context fields of the last save, offered again for the next moment.
        var lastContext = ObservationFields()
    }

    private struct State {
        var token: String?
        var sessions: [String: PageSession] = [:]
        var evidence: Session?
        var lockedBecause: String?
        var lastActivity: Date
        var port = 0
    }

    private let state: Mutex<State>
    /// The one-time token printed in the start-up URL.
    public let token: String
    /// How long without a request before the page locks itself.
    public let idleLimit: TimeInterval
    /// When the gate was opened (a lock signal raised after this ends it).
    public let openedAt: Date

    /// The name of the session cookie.
    static let cookieName = "evidence_session"

    /// A gate over `session`, locking itself after `idleMinutes` without a request.
    public init(session: Session, idleMinutes: Int) {
        let now = Date()
        token = Self.randomHex()
        idleLimit = TimeInterval(idleMinutes * 60)
        openedAt = now
        state = Mutex(State(token: token, evidence: session, lastActivity: now))
    }

    /// 32 random bytes as hex, from the system's cryptographic generator.
    static func randomHex() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let word = generator.next() as UInt64
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// The port the server listens on (set once it is listening), for the `Origin` check.
    var port: Int {
        get { state.withLock { $0.port } }
        set { state.withLock { $0.port = newValue } }
    }

    /// The origins a state-changing request may come from: the page itself, as the browser names it.
    var allowedOrigins: Set<String> {
        let port = self.port
        return ["http://127.0.0.1:\(port)", "http://localhost:\(port)", "http://[::1]:\(port)"]
    }

    /// Trades the start-up token for a new session cookie, once; nil for a used, wrong or locked token.
    func open(token offered: String) -> String? {
        state.withLock { state in
            guard state.lockedBecause == nil, let token = state.token, Self.same(token, offered) else { return nil }
            state.token = nil
            let cookie = Self.randomHex()
            state.sessions[cookie] = PageSession()
            state.lastActivity = Date()
            return cookie
        }
    }

    /// The open library for a request carrying `cookie`, or nil (401) when it names no session or the page is locked.
    func session(cookie: String?) -> Session? {
        guard let cookie else { return nil }
        return state.withLock { state in
            guard state.lockedBecause == nil, state.sessions[cookie] != nil else { return nil }
            state.lastActivity = Date()
            return state.evidence
        }
    }

    /// Marks `asset` viewed in the session; true the first time (when the view is to be audited).
    func firstView(cookie: String, asset: AssetID) -> Bool {
        state.withLock { $0.sessions[cookie]?.viewed.insert(asset).inserted ?? false }
    }

    /// Forgets that `asset` was viewed (its audit failed, so the next read tries again).
    func forgetView(cookie: String, asset: AssetID) {
        state.withLock { _ = $0.sessions[cookie]?.viewed.remove(asset) }
    }

    /// Remembers a save for undo, and its context for the next moment.
    func saved(cookie: String, observation: ObservationID, fields: ObservationFields) {
        state.withLock { state in
            state.sessions[cookie]?.saves.append(observation)
            var context = ObservationFields()
            context.activity = fields.activity
            context.setting = fields.setting
            context.equipment = fields.equipment
            context.prompt = fields.prompt
            context.withStaff = fields.withStaff
            state.sessions[cookie]?.lastContext = context
        }
    }

    /// Takes the newest save this session can undo.
    func takeLastSave(cookie: String) -> ObservationID? {
        state.withLock { $0.sessions[cookie]?.saves.popLast() }
    }

    /// The context fields of the session's last save.
    func lastContext(cookie: String) -> ObservationFields {
        state.withLock { $0.sessions[cookie]?.lastContext ?? ObservationFields() }
    }

    /// Ends every session and lets go of the library (its key is wiped when the last request using it ends).
    public func lock(because reason: String) {
        state.withLock { state in
            guard state.lockedBecause == nil else { return }
            state.lockedBecause = reason
            state.sessions.removeAll()
            state.token = nil
            state.evidence = nil
        }
    }

    /// Why the page is locked, or nil while it is open.
    public var lockedBecause: String? { state.withLock { $0.lockedBecause } }

    /// Whether nothing has asked for the page for longer than the idle limit.
    func idle(now: Date = Date()) -> Bool {
        state.withLock { now.timeIntervalSince($0.lastActivity) > idleLimit }
    }

    /// Compares two tokens in time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
