public import Foundation

/// Test fixtures made at test time, never read from the committed `Samples/` (STYLE.md section 8).
public enum Fixtures {
    /// The repository root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A synthetic DCIM tree (photos of five formats, five video containers, a damaged photo and video, a text
    /// file) written by `Scripts/lib/make-media.sh`, the script that also makes `Samples/`.
    ///
    /// Made once per version of the script under `.build/test-fixtures/`, under a file lock, so every suite of a run
    /// shares one copy. Throws, naming the script, when it cannot be made (ffmpeg, exiftool or heif-enc missing).
    public static func dcim() throws -> URL { try made.get() }

    private static let made: Result<URL, FixtureError> = {
        let script = root.appendingPathComponent("Scripts/lib/make-media.sh")
        guard let text = try? Data(contentsOf: script) else { return .failure(FixtureError("cannot read \(script.path)")) }
        let version = String(text.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }, radix: 16)
        let base = root.appendingPathComponent(".build/test-fixtures/\(version)")
        let dcim = base.appendingPathComponent("DCIM")
        try? FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        process.arguments = [
            base.appendingPathComponent("lock").path, "bash", "-c",
            "[ -e \"$1.done\" ] || { \"$0\" \"$1\" && touch \"$1.done\"; }", script.path, dcim.path,
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { return .failure(FixtureError("could not run flock: \(error)")) }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return .failure(FixtureError("\(script.path) failed (Scripts/test installs ffmpeg, exiftool, heif-enc): \(message)"))
        }
        return .success(dcim)
    }()
}

/// Why a fixture could not be made.
public struct FixtureError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
