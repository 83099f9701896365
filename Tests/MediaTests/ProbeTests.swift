import Foundation
import Media
import TestSupport
import Testing

@Suite struct ProbeTests {
    /// The fixtures, made at test time by the script that makes Samples/.
    static var samples: URL { get throws { try Fixtures.dcim() } }

    /// The undamaged media files among the fixtures (checked to be all 14 by ``fixturesAreMade()``).
    static var files: [String] {
        guard let root = try? samples else { return [] }
        let walker = FileManager.default.enumerator(atPath: root.path)
        return (walker?.allObjects as? [String] ?? [])
            .filter { !$0.contains("DAMAGED") && $0.contains(".") && !$0.hasPrefix(".") }.sorted()
    }

    /// The fixtures exist: without this, a failure to make them would leave the tests below with no arguments.
    @Test func fixturesAreMade() throws {
        _ = try Self.samples
        #expect(Self.files.count == 14, "\(Self.files)")
    }

    @Test func iso6709AndOffsets() {
        let place = CaptureTime.iso6709("+52.4862-001.8904+140.000/")
        #expect(place?.latitude == 52.4862)
        #expect(place?.longitude == -1.8904)
        #expect(CaptureTime.offset("+01:00") == 3600)
        #expect(CaptureTime.offset("-0530") == -19800)
    }

    /// A TIFF cut inside its first directory is damaged, not a photo with no metadata (the fuzz test found a
    /// 6-byte `II*` file taken in as a photo).
    @Test func aTIFFCutInsideItsFirstDirectoryIsRefused() throws {
        let original = try Data(contentsOf: try Self.samples.appendingPathComponent("103MIXED/SCAN0001.TIF"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).tif").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        for length in [6, 12, 30] {
            try original.prefix(length).write(to: URL(fileURLWithPath: path))
            #expect(throws: MediaError.self) { _ = try MediaProbe.probe(path: path) }
            do { _ = try MediaProbe.probe(path: path) } catch {
                #expect(error.message.contains((path as NSString).lastPathComponent) && error.message.contains("TIFF"))
            }
        }
        #expect(try MediaProbe.probe(path: try Self.samples.appendingPathComponent("103MIXED/SCAN0001.TIF").path).width != nil)
    }

    /// Every sample's fields equal what exiftool (-n) and ffprobe report.
    @Test(arguments: files)
    func metadataMatchesReferenceTools(file: String) throws {
        let path = try Self.samples.appendingPathComponent(file).path
        // The reference is required, not optional: Scripts/test installs exiftool, so its absence is a failure.
        let exif = try #require(
            try? run("/usr/bin/exiftool", ["-n", "-json", path]), "exiftool is needed as the reference (Scripts/test installs it)")
        let tags = try #require((try JSONSerialization.jsonObject(with: Data(exif.utf8)) as? [[String: Any]])?.first)
        let info = try MediaProbe.probe(path: path)
        if let make = tags["Make"] as? String { #expect(info.make == make) }
        if let model = tags["Model"] as? String { #expect(info.model == String(describing: model)) }
        if let lat = tags["GPSLatitude"] as? Double { #expect(abs((info.latitude ?? 999) - lat) < 1e-4) }
        if let lon = tags["GPSLongitude"] as? Double { #expect(abs((info.longitude ?? 999) - lon) < 1e-4) }
        if info.kind == .photo {
            if let w = tags["ImageWidth"] as? Int { #expect(info.width == w) }
            if let o = tags["Orientation"] as? Int, [1, 3, 6, 8].contains(o) {
                #expect(info.rotation == [1: 0, 3: 180, 6: 90, 8: 270][o])
            }
        } else {
            if let r = tags["Rotation"] as? Int { #expect(info.rotation == r) }
            let probe = try run(
                "/usr/bin/ffprobe",
                ["-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", path]
            )
            if let d = Double(probe.trimmingCharacters(in: .whitespacesAndNewlines)) {
                #expect(abs((info.durationSeconds ?? 0) - d) < 0.05)
            }
        }
    }

    func run(_ tool: String, _ args: [String]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: tool) else { throw CocoaError(.fileNoSuchFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = args
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
