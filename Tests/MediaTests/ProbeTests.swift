import Foundation
import Media
import Testing

@Suite struct ProbeTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Samples/DCIM")

    static var files: [String] {
        let walker = FileManager.default.enumerator(atPath: samples.path)
        return (walker?.allObjects as? [String] ?? []).filter { !$0.contains("DAMAGED") && $0.contains(".") }.sorted()
    }

    @Test func iso6709AndOffsets() {
        let place = CaptureTime.iso6709("+52.4862-001.8904+140.000/")
        #expect(place?.latitude == 52.4862)
        #expect(place?.longitude == -1.8904)
        #expect(CaptureTime.offset("+01:00") == 3600)
        #expect(CaptureTime.offset("-0530") == -19800)
    }

    /// Every sample's fields equal what exiftool (-n) and ffprobe report.
    @Test(arguments: files)
    func metadataMatchesReferenceTools(file: String) throws {
        let path = Self.samples.appendingPathComponent(file).path
        guard let exif = try? run("/usr/bin/exiftool", ["-n", "-json", path]) else {
            print("SKIPPED metadataMatchesReferenceTools: exiftool is not installed")
            return
        }
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
