public import Foundation
internal import CPosix

#if canImport(Glibc)
    import Glibc
#endif

/// The signal `evidence lock` raises for every front end holding a key of its own (the tagging page): a file beside
/// the key agent's socket, in the same private folder, whose modification time says when the library was last
/// locked. A server started before that time ends its sessions and forgets its key.
///
/// A file rather than a message, so a lock reaches a server however it got its key (from the agent or from the
/// passphrase) and even one that started after the agent was gone; anyone who can raise it can only lock.
public struct LockSignal: Sendable {
    /// The file's path.
    public let path: String

    /// The signal for the library whose key agent answers at `socket`.
    public init(_ socket: AgentSocket) {
        path = String(socket.path.dropLast(".sock".count)) + ".locked"
    }

    /// Raises the signal (now).
    public func raise() {
        let folder = (path as NSString).deletingLastPathComponent
        guard KeyAgent.privateFolder(folder, create: true) else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return }
        futimens(fd, nil)
        close(fd)
    }

    /// Whether the signal was raised after `date`.
    public func raised(after date: Date) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let at = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return at > date.timeIntervalSince1970
    }
}
