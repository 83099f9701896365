import Foundation
internal import Vault

/// Imported ELAN documents, kept sealed in the library (`annotations/HASH`), so that exporting the video again gives
/// back the file's own structure: tier hierarchy, linguistic types and their constraints, controlled vocabularies,
/// participants, annotators, languages, empty tiers, unaligned slots and media descriptors.
///
/// HASH is a keyed hash of the text (a name, not a secret); the file is sealed with the field key and bound to its
/// name, and the `import-annotations` audit entry names it (`doc=HASH`), so a swapped or changed copy fails to open.
enum ELANSourceDocuments {
    /// Seals `text` into the library; its name.
    static func store(_ text: String, library: Library) throws -> String {
        let name = library.master.lookupTag(text, context: "annotation.document").map { String(format: "%02x", $0) }.joined()
        let folder = library.layout.annotationDocuments
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = folder.appendingPathComponent(name)
        if !FileManager.default.fileExists(atPath: file.path) {
            try library.master.seal(bytes: Array(text.utf8), context: "annotation.document:\(name)").write(to: file, options: .atomic)
        }
        return name
    }

    /// The document stored as `name`, or an integrity error naming it.
    static func load(_ name: String, library: Library) throws(EvidenceError) -> String {
        let file = library.layout.annotationDocuments.appendingPathComponent(name)
        guard let sealed = FileManager.default.contents(atPath: file.path) else {
            throw EvidenceError(
                .integrity, "The ELAN document imported as \(name) is missing from the library (annotations/).",
                remedy: .verifyAndRestore)
        }
        do {
            return String(decoding: try library.master.open(bytes: sealed, context: "annotation.document:\(name)"), as: UTF8.self)
        } catch {
            throw EvidenceError(
                .integrity, "The ELAN document imported as \(name) failed authentication: it was changed or swapped.",
                remedy: .verifyAndRestore, cause: error)
        }
    }
}
