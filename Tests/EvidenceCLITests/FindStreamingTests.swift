import Foundation
import TestSupport
import Testing

/// `find --json` is written row by row by hand (bounded memory, no JSONEncoder on the hot path): it must say exactly
/// what the JSONEncoder says for the same observations elsewhere (`moments --json`), awkward text included.
@Suite(.serialized) struct FindStreamingTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-findjson-\(UUID().uuidString)")

    @Test func streamedRowsEqualTheEncodersRows() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try makeLibrary()
        #expect(try evidence("ingest", Fixtures.dcim().appendingPathComponent("102TABLET").path).status == 0)
        #expect(try evidence("pupils", "add", "Amira Khan").status == 0)
        #expect(try evidence("consent", "set", "amira-k", "capture", "granted", "--from", "2020-01-01").status == 0)
        let video = try #require(try assets().first { $0["kind"] as? String == "video" }?["id"] as? String)
        let awkward = "He said \"hi\"\n\ttab \\ back/slash é 🎵 \u{01}end"
        for (from, to, note) in [("0.5", "1.5", awkward), ("2", "3", "plain"), ("1", "2.5", "")] {
            var args = ["tag", video, "--from", from, "--to", to, "--pupil", "amira-k", "--area", "exploration,initiation",
                "--response", "reaching", "--activity", "sensory \"story\"", "--setting", "hall/room 2"]
            if !note.isEmpty { args += ["--note", note] }
            let tagged = try evidence(arguments: args)
            #expect(tagged.status == 0, "\(tagged.stderr)")
        }
        let found = try evidence("find", "--pupil", "amira-k", "--json")
        #expect(found.status == 0, "\(found.stderr)")
        let streamed = try found.json([[String: Any]].self)
        let encoded = try evidence("moments", video, "--json").json([[String: Any]].self).flatMap { $0["observations"] as? [[String: Any]] ?? [] }
        #expect(streamed.count == 3 && encoded.count == 3)
        for row in streamed {
            let same = try #require(encoded.first { $0["id"] as? String == row["id"] as? String })
            // Compared as canonical JSON (sorted keys): Foundation's NSDictionary equality on Linux trips on bridged
            // numbers and nulls.
            let canonical = { (object: [String: Any]) in try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) }
            #expect(try canonical(row) == canonical(same), "\(row) vs \(same)")
        }
        #expect(streamed.contains { $0["note"] as? String == awkward }, "the awkward note survives")
        let none = try evidence("find", "--pupil", "amira-k", "--since", "2030-01-01", "--json")
        #expect(try none.json([Any].self).isEmpty)
    }
}
