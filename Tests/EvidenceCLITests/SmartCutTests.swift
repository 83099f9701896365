import Foundation
import TestSupport
import Testing

/// `clip --exact` is a smart cut on H.264: checked frame by frame with ffmpeg's framemd5 against the source, at three
/// positions (one on a keyframe), on a rotated video, and on HEVC (re-encoded whole, saying why).
@Suite(.serialized) struct SmartCutTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-smartcut-\(UUID().uuidString)")

    /// Runs ffmpeg or ffprobe (test oracles); stdout.
    static func tool(_ arguments: [String]) throws -> String { try ShareTests.run("/usr/bin/env", arguments) }

    /// Each decoded video frame's MD5, in presentation order.
    static func frameHashes(_ path: String) throws -> [String] {
        try tool(["ffmpeg", "-v", "error", "-i", path, "-map", "0:v:0", "-f", "framemd5", "-"])
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
            .compactMap { $0.split(separator: ",").last?.trimmingCharacters(in: .whitespaces) }
    }

    /// One value ffprobe reports.
    static func probe(_ path: String, _ stream: String, _ entries: String) throws -> String {
        try tool(["ffprobe", "-v", "error", "-select_streams", stream, "-show_entries", entries, "-of", "default=nw=1:nk=1", path])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct Cut {
        var status: Int32
        var json: [String: Any]
        var stderr: String
    }

    func cut(_ video: String, _ from: Double, _ to: Double, _ output: URL) throws -> Cut {
        let r = try evidence("clip", video, "--from", String(from), "--to", String(to), "--exact", "-o", output.path, "--json")
        return Cut(status: r.status, json: (try? r.json()) ?? [:], stderr: r.stderr)
    }

    @Test func onlyTheHeadIsReencodedAndEveryLaterFrameIsTheSources() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try makeLibrary()
        let dcim = try Fixtures.dcim()
        #expect(try evidence("ingest", dcim.appendingPathComponent("102TABLET").path, dcim.appendingPathComponent("101APPLE").path).status == 0)
        let all = try assets()
        func video(_ name: String) throws -> (id: String, path: String) {
            let id = try #require(all.first { ($0["originalName"] as? String)?.hasSuffix(name) == true }?["id"] as? String)
            let folder = name.hasPrefix("IMG") ? "101APPLE" : "102TABLET"
            return (id, dcim.appendingPathComponent(folder).appendingPathComponent(name).path)
        }
        let fps = 25.0
        // (video, from, to, the keyframe at or after from): keyframes are every second in these sources.
        let cases: [(String, Double, Double, Double)] = [
            ("20260701_094500.mp4", 0.52, 2.6, 1), ("20260701_094500.mp4", 1.0, 2.2, 1), ("20260701_094500.mp4", 2.28, 3.9, 3),
            ("20260701_095000.mp4", 0.4, 2.5, 1),
        ]
        for (index, (name, from, to, keyframe)) in cases.enumerated() {
            let (id, source) = try video(name)
            let output = dir.appendingPathComponent("cut-\(index).mp4")
            let result = try cut(id, from, to, output)
            #expect(result.status == 0, "\(result.stderr)")
            let head = Int(((keyframe - from) * fps).rounded())
            #expect(result.json["reencodedFrames"] as? Int == head, "\(name) \(from): \(result.json)")
            #expect(result.json["fullReencodeReason"] is NSNull, "a smart cut")
            let sourceFrames = try Self.frameHashes(source), clipFrames = try Self.frameHashes(output.path)
            let first = Int((from * fps).rounded()), wanted = Int(((to - from) * fps).rounded())
            #expect(clipFrames.count >= wanted && clipFrames.count <= wanted + 3, "\(name) \(from): \(clipFrames.count) frames for \(wanted)")
            // Every frame from the keyframe on is the source's, bit for bit, in its place: so the first frame is the
            // one asked for (± 0).
            // (A copy can run a frame or two past the end, as packets are kept until decode order passes it; those
            // frames are not part of the range asked for.)
            for (offset, hash) in clipFrames.enumerated() where offset >= head && offset < wanted && first + offset < sourceFrames.count {
                #expect(hash == sourceFrames[first + offset], "\(name) \(from): frame \(offset) differs from the source's \(first + offset)")
            }
            #expect(try Self.probe(output.path, "v:0", "stream=start_time") == "0.000000")
            // Audio in sync within one AAC frame (1024 samples at 44.1 kHz).
            let audioStart = Double(try Self.probe(output.path, "a:0", "stream=start_time")) ?? 99
            #expect(abs(audioStart) <= 1024.0 / 44_100, "audio starts at \(audioStart)")
            #expect(try Self.probe(output.path, "v:0", "format_tags=creation_time").hasPrefix("2026-07-01T"), "creation_time kept")
            #expect(try Self.probe(output.path, "v:0", "stream_side_data=rotation") == Self.probe(source, "v:0", "stream_side_data=rotation"))
        }
        // HEVC: re-encoded whole (x265 cannot renumber its parameter sets), frame-exact, and said so.
        let (hevc, _) = try video("IMG_4104.MOV")
        let output = dir.appendingPathComponent("hevc.mp4")
        let result = try cut(hevc, 0.4, 1.6, output)
        #expect(result.status == 0, "\(result.stderr)")
        #expect((result.json["fullReencodeReason"] as? String)?.contains("hevc") == true, "\(result.json)")
        #expect(result.stderr.contains("re-encoded"), "said on stderr")
        #expect(try Self.frameHashes(output.path).count == 30)
        #expect(try Self.probe(output.path, "v:0", "stream=start_time") == "0.000000")
    }
}
