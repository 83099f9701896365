import CPosix
public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A decrypted file being written (a clip): it has no name until it is complete, so a crash, a kill -9 or a failed
/// chunk never leaves partial plaintext behind.
///
/// On Linux filesystems with `O_TMPFILE` (ext4, xfs, btrfs, tmpfs) the file is unnamed and is linked in at the end;
/// elsewhere it is written under a hidden `.NAME.partial-…` name and renamed, and a crash can leave that one behind.
final class PlaintextOutput {
    /// What the writer opens (`/proc/self/fd/N`, or the hidden partial path).
    let destination: String
    /// The name it gets when complete.
    let path: String
    private let descriptor: Int32?

    init(path: String) {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let fd = csystem_open_tmpfile(folder)
        if fd >= 0 {
            descriptor = fd
            destination = "/proc/self/fd/\(fd)"
        } else {
            descriptor = nil
            destination = url.deletingLastPathComponent()
                .appendingPathComponent(
                    ".\(url.deletingPathExtension().lastPathComponent).partial-\(UUID().uuidString.prefix(8)).\(url.pathExtension)"
                ).path
        }
    }

    deinit {
        if let descriptor { close(descriptor) }
    }

    /// Gives the finished file its name, replacing a file already there.
    func commit() throws(EvidenceError) {
        if FileManager.default.fileExists(atPath: path) { unlink(path) }
        if let descriptor {
            guard csystem_link_fd(descriptor, path) == 0 else {
                throw EvidenceError(.failure, "Could not name the finished clip \(path) (errno \(errno)); nothing was left behind.")
            }
        } else {
            guard rename(destination, path) == 0 else {
                unlink(destination)
                throw EvidenceError(.failure, "Could not name the finished clip \(path) (errno \(errno)).")
            }
        }
    }

    /// Drops an unfinished file.
    func discard() {
        if descriptor == nil { unlink(destination) }
    }
}

/// A document with personal data in it (a report, a return) written so that it appears whole or not at all, readable
/// only by its owner: no crash leaves half of it, under any name.
public enum PrivateDocument {
    /// Writes `data` to `path`, replacing what is there.
    public static func write(_ data: Data, to path: String) throws(EvidenceError) {
        let output = PlaintextOutput(path: path)
        let fd = open(output.destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            throw EvidenceError(
                .failure,
                "Could not write \(path): \(String(cString: strerror(code))).", field: Field("output"), value: path)
        }
        var failure: Int32 = 0
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else {
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if failure == 0, fsync(fd) != 0 { failure = errno }
        close(fd)
        guard failure == 0 else {
            output.discard()
            throw EvidenceError(
                .failure,
                "Could not write \(path): \(String(cString: strerror(failure))). Nothing was left behind.", field: Field("output"),
                value: path)
        }
        try output.commit()
    }
}
