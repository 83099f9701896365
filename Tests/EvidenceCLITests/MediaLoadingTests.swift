import Foundation
import TestSupport
import Testing

/// The media libraries are loaded by the commands that use them, not by every command (CMediaLoader): the
/// dynamic loader's own record (`LD_DEBUG=files`) shows which were opened, and a broken library is a sentence
/// naming it, with the other files of the same run still read.
struct MediaLoadingTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-loading-\(UUID().uuidString)")

    /// The shared objects the dynamic loader opened while running `args`.
    private func loaded(_ args: String...) throws -> (result: CLIResult, libraries: Set<String>) {
        try loaded(arguments: args)
    }

    private func loaded(arguments args: [String]) throws -> (result: CLIResult, libraries: Set<String>) {
        // The loader's record goes to a file of its own (LD_DEBUG_OUTPUT), not into the stderr under test.
        let record = dir.appendingPathComponent("ld-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let result = try evidence(arguments: args, env: ["LD_DEBUG": "files", "LD_DEBUG_OUTPUT": record.path])
        var text = ""
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasPrefix(record.lastPathComponent) {
            text += (try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)) ?? ""
        }
        let names = text.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "file=") else { return nil }
            return String(line[range.upperBound...].prefix { !$0.isWhitespace && $0 != ";" && $0 != "[" })
        }
        return (result, Set(names.map { ($0 as NSString).lastPathComponent }))
    }

    @Test func commandsWithoutMediaNeverLoadIt() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try makeLibrary()
        for args in [["--version"], ["find", "--json"], ["verify"]] {
            let (result, libraries) = try loaded(arguments: args)
            #expect(result.status == 0, "\(args): \(result.stderr.suffix(300))")
            #expect(libraries.contains("libsodium.so.23"), "LD_DEBUG=files was read: \(libraries.sorted())")
            #expect(!libraries.contains { $0.hasPrefix("libavformat") || $0.hasPrefix("libavcodec") || $0.hasPrefix("libheif") },
                    "\(args) loaded \(libraries.sorted())")
        }
    }

    @Test func eachGroupLoadsWhenItsFilesAreRead() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let dcim = try Fixtures.dcim()
        let video = try loaded("probe", dcim.appendingPathComponent("102TABLET/20260701_094500.mp4").path)
        #expect(video.result.status == 0, "\(video.result.stderr.suffix(300))")
        #expect(video.libraries.contains { $0.hasPrefix("libavformat.so") }, "\(video.libraries.sorted())")
        #expect(!video.libraries.contains { $0.hasPrefix("libheif") }, "a video needs no libheif")
        let heic = try loaded("probe", dcim.appendingPathComponent("101APPLE/IMG_4103.HEIC").path)
        #expect(heic.result.status == 0, "\(heic.result.stderr.suffix(300))")
        #expect(heic.libraries.contains { $0.hasPrefix("libheif.so") })
        #expect(!heic.libraries.contains { $0.hasPrefix("libavformat") }, "a HEIC photo's metadata needs no libav")
        let jpeg = try loaded("probe", dcim.appendingPathComponent("100CANON/IMG_0001.JPG").path)
        #expect(jpeg.result.status == 0)
        #expect(!jpeg.libraries.contains { $0.hasPrefix("libavformat") || $0.hasPrefix("libheif") }, "\(jpeg.libraries.sorted())")
    }

    @Test func aBrokenLibraryIsNamedAndTheRestIsRead() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // A file that is not a shared object, found first on the library path: what a half-removed package leaves.
        let broken = dir.appendingPathComponent("libs")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        try Data("not an ELF file".utf8).write(to: broken.appendingPathComponent("libavformat.so.59"))
        let dcim = try Fixtures.dcim()
        let video = dcim.appendingPathComponent("102TABLET/20260701_094500.mp4").path
        let photo = dcim.appendingPathComponent("100CANON/IMG_0001.JPG").path
        let result = try evidence("probe", video, photo, env: ["LD_LIBRARY_PATH": broken.path])
        #expect(result.status == 1, "the video failed: \(result.stderr)")
        #expect(result.stderr.contains("20260701_094500.mp4"), "names the file: \(result.stderr)")
        #expect(result.stderr.contains("libavformat.so.59") && result.stderr.contains("Install Debian's libavformat59"),
                "names the library and what to do: \(result.stderr)")
        let json = try result.json()
        #expect(json[photo] != nil && json[video] == nil, "the photo is still read")

        // Ingest: the video fails with the same sentence (so a card is not wiped), the photo is stored.
        try makeLibrary()
        let ingest = try evidence("ingest", video, photo, "--json", env: ["LD_LIBRARY_PATH": broken.path])
        #expect(ingest.status == 1, "\(ingest.stderr)")
        let files = try #require(try ingest.json()["files"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: files.map { (($0["path"] as? String) ?? "", $0) })
        #expect(byName[photo]?["status"] as? String == "ingested", "\(files)")
        #expect(byName[video]?["status"] as? String == "failed")
        #expect((byName[video]?["reason"] as? String)?.contains("libavformat.so.59") == true, "\(files)")
    }
}
