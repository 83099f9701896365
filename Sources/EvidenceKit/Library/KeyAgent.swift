public import Foundation
internal import CPosix
internal import Vault

#if canImport(Glibc)
    import Glibc
#endif

/// The session key agent behind `evidence unlock`: a small process that holds one library's master key in
/// guarded memory for a while, so each command need not run Argon2 (about 0.17 s and 64–256 MiB) again.
///
/// Like ssh-agent: a Unix socket in a folder only the user can enter (`$XDG_RUNTIME_DIR/evidence` or
/// `/tmp/evidence-UID`, mode 0700, owner checked), and the agent hands the key only to a peer with the same user id
/// (`SO_PEERCRED`). A key from the agent is checked against the library's audit chain before it is used. The agent
/// exits when its time is up or on `evidence lock`, and wipes the key.
/// Where a library's key agent answers: `RUNTIME/evidence/agent-HASH.sock` (the front end passes the user's runtime
/// folder, `$XDG_RUNTIME_DIR`), else `/tmp/evidence-UID/…`. Nothing here reads the environment.
public struct AgentSocket: Sendable, Equatable {
    /// The socket's path.
    public let path: String
    /// The user's runtime folder it lives under, if there is one (handed on to the agent it starts).
    public let runtimeDirectory: String?

    /// The socket for the library at `root`.
    public init(library root: URL, runtimeDirectory: String?) {
        let runtime = runtimeDirectory.flatMap { $0.isEmpty ? nil : $0 }
        self.runtimeDirectory = runtime
        let base = runtime.map { "\($0)/evidence" } ?? "/tmp/evidence-\(getuid())"
        // FNV-1a of the library's path: a name, not a secret.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in root.standardizedFileURL.path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        path = "\(base)/agent-\(String(hash, radix: 16)).sock"
    }
}

public enum KeyAgent {
    /// The folder holds the socket only if it is ours and private; anything else is refused.
    static func privateFolder(_ folder: String, create: Bool) -> Bool {
        if create { mkdir(folder, 0o700) }
        var info = stat()
        guard lstat(folder, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFDIR && info.st_uid == getuid() && (info.st_mode & 0o077) == 0
    }

    /// Connects to this user's agent in its private folder and sends a one-byte request; the connection to read the
    /// answer from (the caller closes it), or nil when no trustworthy agent answers.
    private static func ask(_ request: Unicode.Scalar, at socket: AgentSocket) -> Int32? {
        let path = socket.path
        guard privateFolder((path as NSString).deletingLastPathComponent, create: false) else { return nil }
        let fd = csystem_connect_unix(path)
        guard fd >= 0 else { return nil }
        var byte = UInt8(ascii: request)
        guard csystem_peer_uid(fd) == Int(getuid()), write(fd, &byte, 1) == 1 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Asks a running agent for the key; nil when there is none (or it is not trustworthy).
    static func fetchKey(at socket: AgentSocket) -> MasterKey? {
        guard let fd = ask("K", at: socket) else { return nil }
        defer { close(fd) }
        var key = [UInt8](repeating: 0, count: 32)
        defer { wipe(&key) }
        var got = 0
        while got < 32 {
            let n = key.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, 32 - got) }
            if n <= 0 { return nil }
            got += n
        }
        return key.withUnsafeBytes { try? MasterKey.fromAgent($0) }
    }

    /// What `stop` found.
    public enum StopResult: Sendable {
        /// No agent was running for this library.
        case notRunning
        /// The agent forgot the key and is gone.
        case stopped
        /// The agent was asked to stop but still answers.
        case stillRunning
    }

    /// Tells a running agent to forget the key and exit, and waits (up to two seconds) until it no longer answers.
    @discardableResult
    public static func stop(at socket: AgentSocket) -> StopResult {
        let fd = csystem_connect_unix(socket.path)
        guard fd >= 0 else { return .notRunning }
        var request: UInt8 = UInt8(ascii: "Q")
        let sent = write(fd, &request, 1) == 1
        // The agent closes the connection as it leaves: wait for that, then check that nothing answers.
        var ignored: UInt8 = 0
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        if sent, poll(&poller, 1, 2000) > 0 { _ = read(fd, &ignored, 1) }
        close(fd)
        for _ in 0..<100 where isRunning(at: socket) { usleep(20_000) }
        return isRunning(at: socket) ? .stillRunning : .stopped
    }

    /// What a running agent says of itself.
    public struct Status: Sendable, Codable, Equatable {
        /// When it forgets the key.
        public var until: Date
        /// Its process id.
        public var processID: Int32
        /// Whether the kernel still lets a core dump, ptrace or /proc read its memory (it should say false).
        public var dumpable: Bool
    }

    /// Asks a running agent (of this user) for its status; nil when none answers.
    public static func status(at socket: AgentSocket) -> Status? {
        guard let fd = ask("S", at: socket) else { return nil }
        defer { close(fd) }
        var reply = [UInt8](repeating: 0, count: 128)
        var got = 0
        while got < reply.count {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 2000) > 0 else { break }
            let n = reply.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, $0.count - got) }
            if n <= 0 { break }
            got += n
        }
        let fields = String(decoding: reply.prefix(got), as: UTF8.self).split(separator: " ")
        guard fields.count == 3, let until = Double(fields[0]), let pid = Int32(fields[1]), let dumpable = Int(fields[2]) else {
            return nil
        }
        return Status(until: Date(timeIntervalSince1970: until), processID: pid, dumpable: dumpable != 0)
    }

    /// Whether an agent answers for this library.
    public static func isRunning(at socket: AgentSocket) -> Bool {
        let fd = csystem_connect_unix(socket.path)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    /// Runs the agent (in its own process): reads the 32-byte key from `input`, then serves it for `seconds`.
    public static func serve(at socket: AgentSocket, seconds: Int, input: Int32) throws(EvidenceError) {
        guard csystem_undumpable() == 0 else {
            throw EvidenceError(.failure, "The key agent could not make itself non-dumpable (errno \(errno)); not starting.")
        }
        var key = [UInt8](repeating: 0, count: 32)
        defer { wipe(&key) }
        var got = 0
        while got < 32 {
            let n = key.withUnsafeMutableBytes { read(input, $0.baseAddress! + got, 32 - got) }
            guard n > 0 else { throw EvidenceError(.failure, "The key agent did not receive a key.") }
            got += n
        }
        let guarded: SecretKey
        do { guarded = try key.withUnsafeBytes { (bytes) throws(VaultError) in try SecretKey.copying(bytes) } } catch {
            throw EvidenceError.from(error)
        }
        wipe(&key)
        let path = socket.path
        guard privateFolder((path as NSString).deletingLastPathComponent, create: true) else {
            throw EvidenceError(.failure, "The agent's folder \((path as NSString).deletingLastPathComponent) is not private to you; not starting.")
        }
        unlink(path)
        let listener = csystem_listen_unix(path)
        guard listener >= 0 else {
            throw EvidenceError(.failure, "The key agent could not listen at \(path) (errno \(errno)).")
        }
        chmod(path, 0o600)
        defer {
            close(listener)
            unlink(path)
        }
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return }
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining, 60) * 1000))
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            defer { close(client) }
            guard csystem_peer_uid(client) == Int(getuid()) else { continue }
            // A client that connects and says nothing is dropped after a second: it cannot hold the agent past its
            // deadline, nor keep `lock` waiting.
            var asked = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            guard poll(&asked, 1, 1000) > 0 else { continue }
            var request: UInt8 = 0
            guard read(client, &request, 1) == 1 else { continue }
            if request == UInt8(ascii: "Q") { return }
            if request == UInt8(ascii: "K") {
                _ = guarded.withUnsafeBytes { write(client, $0.baseAddress!, $0.count) }
            }
            if request == UInt8(ascii: "S") {
                // The kernel's own flag, read now, not a remembered "we asked for it".
                var reply = Array("\(Int(deadline.timeIntervalSince1970)) \(getpid()) \(csystem_dumpable())".utf8)
                _ = write(client, &reply, reply.count)
            }
        }
    }
}
