public import Foundation
internal import CSystem
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
public enum KeyAgent {
    /// The socket for the library at `root`.
    public static func socketPath(for root: URL) -> String {
        let base = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"].flatMap { $0.isEmpty ? nil : "\($0)/evidence" }
            ?? "/tmp/evidence-\(getuid())"
        // FNV-1a of the library's path: a name, not a secret.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in root.standardizedFileURL.path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return "\(base)/agent-\(String(hash, radix: 16)).sock"
    }

    /// The folder holds the socket only if it is ours and private; anything else is refused.
    static func privateFolder(_ folder: String, create: Bool) -> Bool {
        if create { mkdir(folder, 0o700) }
        var info = stat()
        guard lstat(folder, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFDIR && info.st_uid == getuid() && (info.st_mode & 0o077) == 0
    }

    /// Asks a running agent for the key; nil when there is none (or it is not trustworthy).
    static func fetchKey(for root: URL) -> MasterKey? {
        let path = socketPath(for: root)
        guard privateFolder((path as NSString).deletingLastPathComponent, create: false) else { return nil }
        let fd = csystem_connect_unix(path)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard csystem_peer_uid(fd) == Int(getuid()) else { return nil }
        var request: UInt8 = UInt8(ascii: "K")
        guard write(fd, &request, 1) == 1 else { return nil }
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

    /// Tells a running agent to forget the key and exit; false if none was running.
    public static func stop(for root: URL) -> Bool {
        let fd = csystem_connect_unix(socketPath(for: root))
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var request: UInt8 = UInt8(ascii: "Q")
        return write(fd, &request, 1) == 1
    }

    /// Whether an agent answers for this library.
    public static func isRunning(for root: URL) -> Bool {
        let fd = csystem_connect_unix(socketPath(for: root))
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    /// Runs the agent (in its own process): reads the 32-byte key from `input`, then serves it for `seconds`.
    public static func serve(root: URL, seconds: Int, input: Int32) throws(EvidenceError) {
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
        let path = socketPath(for: root)
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
            var request: UInt8 = 0
            guard read(client, &request, 1) == 1 else { continue }
            if request == UInt8(ascii: "Q") { return }
            if request == UInt8(ascii: "K") {
                _ = guarded.withUnsafeBytes { write(client, $0.baseAddress!, $0.count) }
            }
        }
    }
}
