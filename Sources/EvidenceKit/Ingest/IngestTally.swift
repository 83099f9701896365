import Foundation

/// Counts shared by the ingest workers, feeding the progress display.
final class IngestTally: @unchecked Sendable {
    private let lock = NSLock()
    private let filesTotal: Int
    private let bytesTotal: Int64
    private let progress: (any IngestProgress)?
    private var filesDone = 0
    private var bytesDone: Int64 = 0
    private(set) var bytesEncrypted: Int64 = 0

    init(filesTotal: Int, bytesTotal: Int64, progress: (any IngestProgress)?) {
        self.filesTotal = filesTotal
        self.bytesTotal = bytesTotal
        self.progress = progress
    }

    func add(bytes: Int64) {
        lock.lock()
        bytesDone += bytes
        let snapshot = (filesDone, bytesDone)
        lock.unlock()
        progress?.update(filesDone: snapshot.0, filesTotal: filesTotal, bytesDone: snapshot.1, bytesTotal: bytesTotal)
    }

    func ingested(bytes: Int64) {
        lock.lock()
        bytesEncrypted += bytes
        lock.unlock()
    }

    func fileDone(bytes: Int64) {
        lock.lock()
        filesDone += 1
        bytesDone += bytes
        let snapshot = (filesDone, bytesDone)
        lock.unlock()
        progress?.update(filesDone: snapshot.0, filesTotal: filesTotal, bytesDone: snapshot.1, bytesTotal: bytesTotal)
    }
}
