import Foundation
import TestSupport
import Testing

/// A clip's plaintext has no name until it is complete: a kill -9 before, during or after the cut leaves nothing in
/// the output folder, hidden files included; `-o -` writes to standard output.
@Suite(.serialized) struct ClipOutputTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-clipout-\(UUID().uuidString)")

    @Test func aKilledClipLeavesNoPlaintextAndStdoutWorks() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try makeLibrary()
        #expect(try evidence("ingest", Fixtures.dcim().appendingPathComponent("102TABLET").path).status == 0)
        let video = try #require(try assets().first { $0["kind"] as? String == "video" }?["id"] as? String)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        for point in ["kill-after:clip-audited:1", "kill-after:clip-read:2", "kill-after:clip-cut:1"] {
            let r = try evidence(
                "clip", video, "--from", "0.5", "--to", "3", "--exact", "-o", out.appendingPathComponent("c.mp4").path,
                env: ["EVIDENCE_FAULT": point])
            #expect(r.status != 0, "\(point): the process was not killed")
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty, "\(point): a file was left")
            #expect(try evidence("assets").status == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty, "\(point): after the next command")
        }
        // Unkilled, the clip appears complete, private to its owner.
        let done = out.appendingPathComponent("done.mp4")
        #expect(try evidence("clip", video, "--from", "0.5", "--to", "3", "--exact", "-o", done.path).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: done.path)
        #expect((attributes[.posixPermissions] as? Int ?? 0) & 0o077 == 0, "a decrypted clip is readable by others")
        // -o - streams Matroska to standard output and writes no file.
        let piped = try evidence("clip", video, "--from", "0.5", "--to", "2", "-o", "-")
        #expect(piped.status == 0 && piped.stdout.count > 1000, "\(piped.stderr)")
        #expect(piped.stdout.prefix(4) == Data([0x1A, 0x45, 0xDF, 0xA3]), "Matroska's EBML magic")
        #expect(!FileManager.default.fileExists(atPath: "-"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["done.mp4"])
    }
}
