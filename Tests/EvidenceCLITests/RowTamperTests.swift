import Foundation
import GRDB
import TestSupport
import Testing

/// An attacker with write access to the library folder but not the key: every changed, swapped, moved, deleted or
/// forged row that carries meaning is found by `verify` (exit 4), and reads that use it stop instead of showing it.
@Suite(.serialized) struct RowTamperTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-rows-\(UUID().uuidString)")

    /// Two pupils with consent, a tagged video moment of each, and the catalogue to edit behind evidence's back.
    func prepare() throws -> (video: String, catalogue: DatabaseQueue) {
        try makeLibrary()
        #expect(try evidence("ingest", Fixtures.dcim().appendingPathComponent("102TABLET").path).status == 0)
        for (name, handle) in [("Amira Khan", "amira-k"), ("Leo Morris", "leo-m")] {
            #expect(try evidence("pupils", "add", name, "--upn", "T90000000000\(handle.count)").status == 0)
            #expect(try evidence("consent", "set", handle, "capture", "granted", "--from", "2020-01-01").status == 0)
        }
        let video = try #require(try assets().first { $0["kind"] as? String == "video" }?["id"] as? String)
        #expect(try evidence("tag", video, "--from", "0.5", "--to", "1.5", "--pupil", "amira-k", "--area", "exploration").status == 0)
        #expect(try evidence("vocab", "add", "Rocking When Distressed").status == 0)
        #expect(
            try evidence(
                "tag", video, "--from", "2", "--to", "3", "--pupil", "leo-m", "--area", "initiation", "--response",
                "rocking when distressed"
            ).status == 0)
        #expect(try evidence("appearances", video, "--reviewed").status == 0)
        #expect(try evidence("staff", "add", "ms-patel", "--name", "Priya Patel").status == 0)
        #expect(try evidence("verify").status == 0)
        return (video, try DatabaseQueue(path: dir.appendingPathComponent("lib/catalogue.sqlite").path))
    }

    static let tampers: [String: [String]] = [
        "swap pupil profiles": [
            "UPDATE pupil SET profile_sealed = (SELECT profile_sealed FROM pupil p WHERE p.id != pupil.id LIMIT 1)"
        ],
        "swap asset names": [
            "UPDATE asset SET original_name_sealed = (SELECT original_name_sealed FROM asset a WHERE a.id != asset.id ORDER BY a.id LIMIT 1) WHERE id = (SELECT min(id) FROM asset)"
        ],
        "move gps": ["UPDATE asset SET gps_sealed = (SELECT gps_sealed FROM asset WHERE gps_sealed IS NOT NULL LIMIT 1) WHERE gps_sealed IS NULL"],
        "re-attribute an observation": ["UPDATE observation SET pupil_id = (SELECT max(pupil_id) FROM observation) WHERE id = (SELECT min(id) FROM observation)"],
        "change areas": ["UPDATE observation SET areas = 31 WHERE id = (SELECT min(id) FROM observation)"],
        "move a moment": ["UPDATE moment SET start_ms = 0 WHERE id = (SELECT min(id) FROM moment)"],
        "delete a consent row": ["DELETE FROM consent WHERE id = (SELECT max(id) FROM consent)"],
        "flip a consent row": [
            "DROP TRIGGER consent_no_update", "UPDATE consent SET decision = 'refused' WHERE id = (SELECT min(id) FROM consent)",
        ],
        "swap staff profiles": [
            "UPDATE staff SET profile_sealed = (SELECT profile_sealed FROM staff s WHERE s.id != staff.id LIMIT 1)"
        ],
        "re-attribute an appearance": ["UPDATE appearance SET added_by = 'someone-else'"],
        "mark an unreviewed asset none-else": ["UPDATE appearance_review SET none_else = 1"],
        "delete a response term": ["DELETE FROM vocabulary"],
        "delete an observation": [
            "DELETE FROM observation_response WHERE observation_id = (SELECT max(id) FROM observation)",
            "DELETE FROM observation WHERE id = (SELECT max(id) FROM observation)",
        ],
        "delete a moment (foreign keys off, as the sqlite3 shell has them)": [
            "PRAGMA foreign_keys = OFF", "DELETE FROM moment WHERE id = (SELECT min(id) FROM moment)",
        ],
        "forge a response term": ["UPDATE vocabulary SET term_sealed = (SELECT profile_sealed FROM pupil LIMIT 1)"],
        "forge a consent row": [
            "INSERT INTO consent (pupil_id, purpose, decision, effective_from, recorded_at, recorded_by, row_mac) SELECT pupil_id, 'family-sharing', 'granted', '2020-01-01', recorded_at, recorded_by, row_mac FROM consent LIMIT 1"
        ],
    ]

    /// Free-text context is sealed at rest, yet find filters and groups on it.
    @Test func contextIsSealedButFindable() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, _) = try prepare()
        let tagged = try evidence(
            "tag", video, "--from", "3", "--to", "3.5", "--pupil", "leo-m", "--area", "persistence", "--setting",
            "Hydrotherapy Pool", "--activity", "Recovery After Seizure", "--equipment", "Oxygen Mask")
        #expect(tagged.status == 0, "\(tagged.stderr)")
        let found = try evidence("find", "--setting", "hydrotherapy pool", "--json").json([[String: Any]].self)
        #expect(found.count == 1 && found.first?["activity"] as? String == "recovery after seizure")
        #expect(try evidence("find", "--activity", "recovery after seizure", "--json").json([[String: Any]].self).count == 1)
        #expect(try evidence("find", "--setting", "pool", "--json").json([[String: Any]].self).isEmpty, "equality, not a prefix")
        let groups = try evidence("find", "--group-by", "context", "--json").json([[String: Any]].self)
        #expect(groups.contains { $0["key"] as? String == "hydrotherapy pool / recovery after seizure" })
        let rocking = try evidence("find", "--response", "Rocking when distressed", "--json").json([[String: Any]].self)
        #expect(rocking.count == 1 && rocking.first?["responses"] as? [String] == ["rocking-when-distressed"])
        let byResponse = try evidence("find", "--group-by", "response", "--json").json([[String: Any]].self)
        #expect(byResponse.contains { $0["key"] as? String == "rocking-when-distressed" })
        #expect(String(decoding: try evidence("vocab", "list").stdout, as: UTF8.self).contains("rocking-when-distressed"))
        for secret in ["hydrotherapy", "seizure", "oxygen mask", "distressed"] {
            #expect(!libraryFiles().contains { $0.data.range(of: Data(secret.utf8)) != nil }, "\(secret) is stored in plaintext")
        }
        #expect(try evidence("verify").status == 0)
    }

    @Test(arguments: tampers.keys.sorted())
    func aTamperedRowIsFound(tamper: String) throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, catalogue) = try prepare()
        try catalogue.writeWithoutTransaction { db in
            for sql in Self.tampers[tamper] ?? [] { try db.execute(sql: sql) }
        }
        let verify = try evidence("verify")
        #expect(verify.status == 4, "\(tamper): \(verify.stderr)")
        // Reads that use the row stop (exit 4); none shows another pupil's evidence as this one's.
        let found = try evidence("find", "--pupil", "amira-k", "--json")
        if found.status == 0 {
            let rows = try found.json([[String: Any]].self)
            #expect(rows.allSatisfy { $0["pupil"] as? String == "amira-k" }, "\(tamper)")
            #expect(!rows.contains { ($0["areas"] as? [String])?.count == 5 }, "\(tamper): a changed row was shown")
        } else {
            #expect(found.status == 4, "\(tamper): \(found.stderr)")
        }
        _ = video
    }
}
