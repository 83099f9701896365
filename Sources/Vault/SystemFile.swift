import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open file descriptor with one owner; closed in `deinit`.
///
/// Every system call goes through ``SystemFile/retrying(_:_:path:)``, which retries `EINTR` and turns `-1` into a
/// ``VaultError`` whose message names the file (as swift-system's `valueOrErrno` does).
public final class SystemFile: @unchecked Sendable {
    /// The raw descriptor.
    public let descriptor: Int32
    /// The path it was opened from, for messages.
    public let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    /// Opens an existing file for reading.
    public static func openForReading(_ path: String) throws(VaultError) -> SystemFile {
        let fd = try retrying("open", { open(path, O_RDONLY | O_CLOEXEC) }, path: path)
        return SystemFile(descriptor: Int32(fd), path: path)
    }

    /// Creates a new file that must not exist yet (`O_EXCL`), readable and writable by the owner only.
    public static func createExclusive(_ path: String) throws(VaultError) -> SystemFile {
        let fd = try retrying("open", { open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600) }, path: path)
        return SystemFile(descriptor: Int32(fd), path: path)
    }

    /// Opens a directory so that it can be fsynced after a rename.
    public static func openDirectory(_ path: String) throws(VaultError) -> SystemFile {
        let fd = try retrying("open", { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }, path: path)
        return SystemFile(descriptor: Int32(fd), path: path)
    }

    /// The file's size in bytes.
    public func size() throws(VaultError) -> Int64 {
        var info = stat()
        _ = try Self.retrying("fstat", { fstat(descriptor, &info) }, path: path)
        return Int64(info.st_size)
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns fewer only at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(VaultError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let n = try Self.retrying(
                "pread",
                { pread(descriptor, base + done, buffer.count - done, off_t(offset) + off_t(done)) },
                path: path
            )
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads up to `buffer.count` bytes from the current position; returns fewer only at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(VaultError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let n = try Self.retrying("read", { Glibc.read(descriptor, base + done, buffer.count - done) }, path: path)
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Writes all of `bytes` at the current position.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(VaultError) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            done += try Self.retrying("write", { Glibc.write(descriptor, base + done, bytes.count - done) }, path: path)
        }
    }

    /// Writes all of `bytes` at `offset`.
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(VaultError) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            done += try Self.retrying(
                "pwrite",
                { pwrite(descriptor, base + done, bytes.count - done, off_t(offset) + off_t(done)) },
                path: path
            )
        }
    }

    /// Flushes the file's data and metadata to stable storage.
    public func sync() throws(VaultError) {
        _ = try Self.retrying("fsync", { fsync(descriptor) }, path: path)
    }

    /// Asks the kernel to start writing `length` bytes from `offset` to disk now, without waiting (Linux's
    /// `sync_file_range(…, SYNC_FILE_RANGE_WRITE)`): a later sync then waits only for what is left. Durability
    /// still comes from that sync; this only overlaps the disk's work with the caller's.
    public func startWriteback(offset: Int64, length: Int64) {
        #if canImport(Glibc)
            _ = linuxSyncFileRange(descriptor, offset, length, 2)  // SYNC_FILE_RANGE_WRITE
        #endif
    }

        /// Tells the kernel the file will be read once, front to back.
    public func adviseSequential() {
        #if canImport(Glibc)
            _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
    }

    /// Renames `from` to `to` atomically (same file system).
    public static func rename(_ from: String, to: String) throws(VaultError) {
        _ = try retrying("rename", { Glibc.rename(from, to) }, path: to)
    }

    /// Removes a file; a missing file is not an error.
    public static func remove(_ path: String) throws(VaultError) {
        do {
            _ = try retrying("unlink", { unlink(path) }, path: path)
        } catch {
            if case let cause as VaultError.CCallFailure = error.cause, cause.returnCode == ENOENT { return }
            throw error
        }
    }

    /// Flushes everything written to the file system holding `path` — data, new entries and renames — in one call
    /// (`syncfs`): one sync for a batch of blobs instead of two per blob.
    public static func syncFileSystem(containing path: String) throws(VaultError) {
        let directory = try openDirectory(path)
        #if canImport(Glibc)
            _ = try retrying("syncfs", { linuxSyncfs(directory.descriptor) }, path: path)
        #else
            // Not Linux: only the folder's entries are synced here, not the files' data. The product is built for
            // Linux alone (CMediaLoader's trampolines are ELF); a port must sync each blob instead.
            try directory.sync()
        #endif
    }

        /// Fsyncs the directory holding a renamed or created entry, so the entry itself survives a power cut.
    public static func syncDirectory(_ path: String) throws(VaultError) {
        try openDirectory(path).sync()
    }

    /// Runs a system call, retrying on `EINTR`, and throws a ``VaultError`` naming `path` on failure.
    static func retrying<T: BinaryInteger>(
        _ function: String,
        _ call: () -> T,
        path: String
    ) throws(VaultError) -> Int {
        while true {
            let result = call()
            if result >= 0 { return Int(result) }
            let err = errno
            if err == EINTR { continue }
            throw error(function: function, errno: err, path: path)
        }
    }

    /// The ``VaultError`` for a failed system call on `path`, with advice for the common cases.
    public static func error(function: String, errno err: Int32, path: String) -> VaultError {
        let name = (path as NSString).lastPathComponent
        let reason = String(cString: strerror(err))
        let cause = VaultError.CCallFailure(function: function, returnCode: err)
        switch err {
        case ENOSPC, EDQUOT, EFBIG:
            return VaultError(
                code: .diskFull,
                message: "The disk is full while writing \(name). Free some space (or choose another --library) and run the command again; nothing was lost.",
                cause: cause
            )
        case EACCES, EPERM:
            return VaultError(
                code: .ioFailure,
                message: "\(name) cannot be opened: permission denied. Check the file's permissions and try again.",
                cause: cause
            )
        case ENOENT:
            return VaultError(code: .ioFailure, message: "\(name) does not exist (\(path)).", cause: cause)
        case EIO:
            return VaultError(
                code: .ioFailure,
                message: "\(name) could not be read: the disk or card reported an input/output error. Check the card and copy it again.",
                cause: cause
            )
        default:
            return VaultError(code: .ioFailure, message: "\(name): \(function) failed: \(reason).", cause: cause)
        }
    }
}

#if canImport(Glibc)
    /// glibc's `syncfs(2)`, declared only under `_GNU_SOURCE`, which the Glibc module is not built with.
    @_silgen_name("syncfs")
    private func linuxSyncfs(_ descriptor: Int32) -> Int32

    /// glibc's `sync_file_range(2)`, likewise.
    @_silgen_name("sync_file_range")
    private func linuxSyncFileRange(_ descriptor: Int32, _ offset: Int64, _ count: Int64, _ flags: UInt32) -> Int32
#endif
