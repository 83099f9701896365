import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writing to the terminal: results on stdout, everything else on stderr.
enum Terminal {
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    static func error(_ message: String) {
        write(Data("evidence: \(message)\n".utf8), to: STDERR_FILENO)
    }

    static func note(_ message: String) {
        write(Data("\(message)\n".utf8), to: STDERR_FILENO)
    }

    static func print(_ text: String) {
        write(Data((text + "\n").utf8), to: STDOUT_FILENO)
    }

    /// Writes all of `data` with POSIX `write` (Foundation's `FileHandle.write` traps on EPIPE). When the reader
    /// has gone (`evidence find | head`), stop quietly with status 0, as a pipeline expects.
    static func write(_ data: Data, to fd: Int32) {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0, errno == EINTR {
                    continue
                } else if n < 0, errno == EPIPE {
                    exit(0)
                } else {
                    return
                }
            }
        }
    }

    /// One JSON document on stdout, keys sorted and unknown values `null`, so `evidence … --json | jq` always works.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(NullKeeping(value))
        write(data + Data("\n".utf8), to: STDOUT_FILENO)
    }

    /// Reads a secret from the terminal with echo off.
    static func readSecret(prompt: String) -> String? {
        let tty = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard tty >= 0 else { return nil }
        defer { close(tty) }
        var original = termios()
        guard tcgetattr(tty, &original) == 0 else { return nil }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        _ = prompt.withCString { Glibc.write(tty, $0, strlen($0)) }
        tcsetattr(tty, TCSAFLUSH, &silent)
        defer {
            tcsetattr(tty, TCSAFLUSH, &original)
            _ = Glibc.write(tty, "\n", 1)
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(tty, &byte, 1) == 1, byte != 10, byte != 13 { bytes.append(byte) }
        defer { _ = bytes.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Human-readable bytes (1.2 MB).
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }
}
