import Foundation
import Catalogue
import Media
import Vault

/// Clearing what a crash leaves behind.
extension Ingestor {
    /// Removes what a crash can leave behind: temp files, and vault blobs that no catalogue row references (a crash
    /// between rename and commit). Only ever called under the library lock.
    func sweep() throws(EvidenceError) {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: library.layout.tmp.path)) ?? [] {
            try? SystemFile.remove(library.layout.tmp.appendingPathComponent(name).path)
        }
        let known: Set<String>
        do { known = Set(try catalogue.read { store in try store.allAssetIDs() }.map(\.rawValue)) } catch {
            throw EvidenceError.from(error)
        }
        for file in library.layout.vaultFiles() {
            guard let id = file.assetID, !known.contains(id) else { continue }
            try? SystemFile.remove(file.path)
        }
    }
}
