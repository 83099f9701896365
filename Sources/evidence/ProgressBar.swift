import EvidenceKit
import Foundation

/// A one-line progress bar on stderr: files, bytes, MB/s and time left; redrawn at most ten times a second.
final class ProgressBar: IngestProgress, @unchecked Sendable {
    private let lock = NSLock()
    private let started = Date()
    private var lastDraw = Date.distantPast

    func update(filesDone: Int, filesTotal: Int, bytesDone: Int64, bytesTotal: Int64) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || filesDone == filesTotal else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let fraction = bytesTotal > 0 ? min(1, Double(bytesDone) / Double(bytesTotal)) : 1
        let rate = Double(bytesDone) / elapsed / 1e6
        let remaining = rate > 0 ? Double(bytesTotal - bytesDone) / 1e6 / rate : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = String(
            format: "\r%@ %d/%d files  %@/%@  %.0f MB/s  ETA %@ ",
            bar, filesDone, filesTotal, Terminal.bytes(bytesDone), Terminal.bytes(bytesTotal), rate,
            Self.clock(remaining)
        )
        Terminal.write(Data(line.utf8), to: STDERR_FILENO)
    }

    func finish() {
        Terminal.write(Data("\r\u{1B}[K".utf8), to: STDERR_FILENO)
    }

    private static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
