internal import GRDB

/// Row ids fed to `… WHERE id IN (…)` in chunks that stay under SQLite's limit on bound variables.
enum IDChunks {
    /// Calls `body` with `?,?,…` placeholders and the arguments for each chunk of `ids`, in order.
    static func forEach(_ ids: [Int64], size: Int = 900, _ body: (_ marks: String, _ arguments: StatementArguments) throws -> Void)
        rethrows
    {
        for start in stride(from: 0, to: ids.count, by: size) {
            let chunk = ids[start..<min(start + size, ids.count)]
            try body(chunk.map { _ in "?" }.joined(separator: ","), StatementArguments(Array(chunk)))
        }
    }
}
