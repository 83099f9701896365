import Foundation

/// One file to ingest and the root it was found under (for its identity on the card).
struct IngestInput: Sendable {
    var path: String
    var relativePath: String
    var size: Int64
    var modified: TimeInterval
    var isRegular: Bool
}

/// Expands the command line's files and folders into the files to ingest, recursively and in a stable order.
/// Hidden files and folders (`.DS_Store`, `._IMG…`, `.thumbnails/`) are device clutter and are passed over.
enum IngestInputs {
    static func expand(_ paths: [String]) throws(EvidenceError) -> [IngestInput] {
        var inputs: [IngestInput] = []
        let fm = FileManager.default
        for given in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: given, isDirectory: &isDirectory) else {
                throw EvidenceError(.usage, "\(given) does not exist. Check the path (is the card mounted?).")
            }
            if !isDirectory.boolValue {
                inputs.append(describe(path: given, relative: (given as NSString).lastPathComponent))
                continue
            }
            let root = URL(fileURLWithPath: given).standardizedFileURL
            guard let walker = fm.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey, .isDirectoryKey])
            else { continue }
            var found: [IngestInput] = []
            for case let url as URL in walker {
                let values = try? url.resourceValues(forKeys: [.isDirectoryKey])
                if values?.isDirectory == true {
                    // Hidden folders (.Trashes, .thumbnails) are not walked (their files are not the camera's), and
                    // are reported as skipped.
                    if url.lastPathComponent.hasPrefix(".") {
                        walker.skipDescendants()
                        found.append(describe(path: url.path, relative: String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))))
                    }
                    continue
                }
                let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
                found.append(describe(path: url.path, relative: relative))
            }
            inputs += found.sorted { $0.relativePath < $1.relativePath }
        }
        return inputs
    }

    private static func describe(path: String, relative: String) -> IngestInput {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            return IngestInput(path: path, relativePath: relative, size: 0, modified: 0, isRegular: false)
        }
        let modified = TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9
        return IngestInput(
            path: path,
            relativePath: relative,
            size: Int64(info.st_size),
            modified: modified,
            isRegular: (info.st_mode & S_IFMT) == S_IFREG
        )
    }
}
