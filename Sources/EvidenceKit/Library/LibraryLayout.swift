public import Foundation

/// Where things live inside a library folder.
///
/// ```text
/// LIBRARY/
///   catalogue.sqlite (+ -wal, -shm)   metadata; personal text sealed
///   keys/slots.json                   master key wrapped per passphrase and for the recovery key
///   vault/ab/cdef…                    one sealed blob per asset, named by its random asset id
///   tmp/                              blobs being written; swept on the next ingest
///   lock                              held while a command changes the library
/// ```
public struct LibraryLayout: Sendable {
    /// The library folder.
    public let root: URL

    /// Makes a layout for `root`.
    public init(root: URL) { self.root = root.standardizedFileURL }

    /// The default: `EVIDENCE_LIBRARY`, else `~/EvidenceLibrary`.
    public static func defaultRoot(environment: [String: String]) -> URL {
        if let path = environment["EVIDENCE_LIBRARY"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent("EvidenceLibrary")
    }

    /// The catalogue database.
    public var catalogue: URL { root.appendingPathComponent("catalogue.sqlite") }
    /// The key slot file.
    public var keySlots: URL { root.appendingPathComponent("keys/slots.json") }
    /// The audit chain's anchor: its head (sequence and hash) with a keyed MAC, kept outside the catalogue.
    public var auditAnchor: URL { root.appendingPathComponent("keys/audit-anchor") }
    /// The vault folder.
    public var vault: URL { root.appendingPathComponent("vault") }
    /// The in-flight folder.
    public var tmp: URL { root.appendingPathComponent("tmp") }
    /// The lock file.
    public var lock: URL { root.appendingPathComponent("lock") }
    /// Sealed thumbnail cache (each file AEAD-sealed with the field key, bound to its name).
    public var thumbnails: URL { root.appendingPathComponent("thumbnails") }
    /// Sealed copies of imported ELAN documents (by keyed hash), so an export keeps the file's structure.
    public var annotationDocuments: URL { root.appendingPathComponent("annotations") }

    /// The blob path for an asset id: `vault/<first two hex digits>/<the rest>`.
    public func blobPath(assetID: String) -> String {
        let hex = assetID.lowercased().replacingOccurrences(of: "-", with: "")
        return vault.appendingPathComponent(String(hex.prefix(2))).appendingPathComponent(String(hex.dropFirst(2))).path
    }

    /// Every file in the vault: its path and the asset id its path names (nil for a file of another shape).
    func vaultFiles() -> [(path: String, assetID: String?)] {
        let fm = FileManager.default
        var files: [(path: String, assetID: String?)] = []
        for directory in (try? fm.contentsOfDirectory(atPath: vault.path)) ?? [] {
            let dirPath = vault.appendingPathComponent(directory).path
            for name in (try? fm.contentsOfDirectory(atPath: dirPath)) ?? [] {
                files.append(((dirPath as NSString).appendingPathComponent(name), assetID(blobDirectory: directory, name: name)))
            }
        }
        return files
    }

    /// The asset id a vault path names, if it has that shape.
    func assetID(blobDirectory: String, name: String) -> String? {
        let hex = blobDirectory + name
        guard hex.count == 32, hex.allSatisfy(\.isHexDigit) else { return nil }
        let c = Array(hex)
        let parts = [c[0..<8], c[8..<12], c[12..<16], c[16..<20], c[20..<32]].map { String($0) }
        return parts.joined(separator: "-")
    }
}
