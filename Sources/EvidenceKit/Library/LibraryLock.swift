import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock` on `LIBRARY/lock`, held while a command changes the vault; released when the process
/// ends, even on `kill -9`, so a crash never leaves the library locked.
final class LibraryLock {
    private let descriptor: Int32

    init(path: String) throws(EvidenceError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw EvidenceError(.failure, "Could not open the library's lock file \(path): \(String(cString: strerror(errno))).")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw EvidenceError(
                .failure,
                "Another `evidence` command is changing this library right now. Wait for it to finish, then try again."
            )
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
