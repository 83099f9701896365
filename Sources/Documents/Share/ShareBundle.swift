public import EvidenceKit
public import Foundation
import Catalogue

/// Writes a share bundle folder: the viewer (`index.html`) and `bundle/` with the encrypted manifest and one
/// encrypted file per item (Docs/share-format.md). Items are made and sealed one at a time, so memory holds one
/// item's plaintext at most; the folder is assembled under a hidden name and renamed when complete.
public enum ShareBundle {
    /// What the manifest says of one item.
    struct Entry: Encodable {
        var file: String
        var id: String
        var kind: String
        var mime: String
        var bytes: Int
        var date: String
        var caption: String
        var durationSeconds: Double?
    }

    /// The manifest's plaintext.
    struct Manifest: Encodable {
        var format = 1
        var kind: String
        var title: String
        var bundle: String
        var forename: String
        var madeOn: String
        var message: String?
        var items: [Entry]
    }

    /// Writes the bundle to `folder` (which must not exist); `make` gives each item's file. `forename` is the child's
    /// for a family, and empty for a moderation transfer.
    public static func write(
        to folder: URL, passphrase: String, kind: String = "parent", forename: String, madeOn: String, message: String?,
        items: [ShareItem], zip: Bool = false,
        make: (ShareItem) throws(EvidenceError) -> SharedFile
    ) throws(EvidenceError) {
        let fm = FileManager.default
        guard !fm.fileExists(atPath: folder.path) else {
            throw EvidenceError(.usage, "\(folder.path) already exists: a bundle is written to a new folder.", field: Field("output"), value: folder.path)
        }
        let partial = folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent).partial-\(UUID().uuidString.prefix(8))")
        do {
            let writer = try BundleWriter(passphrase: passphrase)
            // The encrypted files go in `bundle/`, or with --zip in one `bundle.zip` beside the viewer.
            var archive: StoredZip?
            if zip {
                try fm.createDirectory(at: partial, withIntermediateDirectories: true)
                archive = try StoredZip(at: partial.appendingPathComponent("bundle.zip"))
            } else {
                try fm.createDirectory(at: partial.appendingPathComponent("bundle"), withIntermediateDirectories: true)
            }
            func store(_ name: String, _ data: Data) throws {
                if archive != nil { try archive?.add(name, data) } else { try data.write(to: partial.appendingPathComponent("bundle/\(name)")) }
            }
            var entries: [Entry] = []
            for item in items {
                let file = try make(item)
                let id = BundleWriter.fileID()
                let name = BundleWriter.fileID().hex + ".bin"
                try store(name, try writer.seal(file.data, fileID: id))
                entries.append(
                    Entry(
                        file: name, id: id.hex, kind: item.kind.rawValue, mime: file.mime, bytes: file.data.count,
                        date: item.dateWords, caption: item.caption, durationSeconds: file.durationSeconds))
            }
            let manifest = Manifest(
                kind: kind, title: kind == "parent" ? "Moments from \(forename)'s year" : "Moments shared for moderation",
                bundle: writer.bundleID.hex, forename: forename, madeOn: madeOn, message: message, items: entries)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            try store("manifest.bin", try writer.seal(try encoder.encode(manifest), fileID: BundleWriter.fileID()))
            try archive?.finish()
            try Data(try ReportTemplates.render("share", [:]).utf8).write(to: partial.appendingPathComponent("index.html"))
            try fm.moveItem(at: partial, to: folder)
        } catch {
            try? fm.removeItem(at: partial)
            if let error = error as? EvidenceError { throw error }
            throw EvidenceError(.failure, "The bundle could not be written to \(folder.path): \(error)", field: Field("output"), value: folder.path)
        }
    }
}
