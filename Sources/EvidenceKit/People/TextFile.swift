import Foundation

/// Small text inputs (rosters, annotation files, mappings) read whole, with errors that name the file.
enum TextFile {
    /// The file's text (UTF-8, a byte-order mark dropped), or a usage error naming it.
    static func read(_ path: String, what: String) throws(EvidenceError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvidenceError(.usage, "Could not read the \(what) file \(path): check the path and its permissions.")
        }
        return try decode(data, path: path, what: what)
    }

    /// Reads a text file that may be gzip-compressed (`.boris.gz`): inflated in memory, up to `limit` bytes.
    static func readMaybeCompressed(_ path: String, what: String, limit: Int = 512 << 20) throws(EvidenceError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvidenceError(.usage, "Could not read the \(what) file \(path): check the path and its permissions.")
        }
        guard Gzip.isCompressed(data) else { return try decode(data, path: path, what: what) }
        return try decode(Gzip.inflate(data, limit: limit, name: "The \(what) file \(path)"), path: path, what: what)
    }

    /// UTF-8 (else Windows-1252) text, without a byte-order mark.
    private static func decode(_ data: Data, path: String, what: String) throws(EvidenceError) -> String {
        guard var text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .windowsCP1252) else {
            throw EvidenceError(.usage, "The \(what) file \(path) is not text (UTF-8 expected).")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }
}
