import Foundation
import GRDB
import Testing

/// The audit chain's anchor outside the catalogue: cutting the log short, emptying it, putting an older catalogue
/// back or altering the anchor is found (exit 4); a crash between a commit and its anchor is explained and healed.
@Suite(.serialized) struct AuditAnchorTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-anchor-\(UUID().uuidString)")

    var catalogue: URL { URL(fileURLWithPath: library).appendingPathComponent("catalogue.sqlite") }
    var anchor: URL { URL(fileURLWithPath: library).appendingPathComponent("keys/audit-anchor") }

    /// A library with a few audit entries.
    func prepare() throws {
        try makeLibrary()
        for name in ["Amira Khan", "Leo Morris", "Suni Okafor"] { #expect(try evidence("pupils", "add", name).status == 0) }
        #expect(try evidence("audit", "verify").status == 0)
    }

    func tamper(_ sql: String) throws {
        let db = try DatabaseQueue(path: catalogue.path)
        try db.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_no_delete")
            try db.execute(sql: sql)
        }
    }

    @Test(arguments: ["last-two", "all", "rollback", "anchor-edited"])
    func aCutOrRolledBackLogIsFound(mode: String) throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try prepare()
        switch mode {
        case "last-two":
            try tamper("DELETE FROM audit WHERE seq > (SELECT max(seq) - 2 FROM audit)")
        case "all":
            try tamper("DELETE FROM audit")
        case "rollback":
            // An older copy of the whole catalogue (WAL included) put back after more work was done.
            let saved = dir.appendingPathComponent("saved")
            try FileManager.default.createDirectory(at: saved, withIntermediateDirectories: true)
            let names = try FileManager.default.contentsOfDirectory(atPath: library).filter { $0.hasPrefix("catalogue.sqlite") }
            for name in names {
                try FileManager.default.copyItem(atPath: "\(library)/\(name)", toPath: saved.appendingPathComponent(name).path)
            }
            #expect(try evidence("pupils", "add", "Tom Brown").status == 0)
            for name in try FileManager.default.contentsOfDirectory(atPath: library) where name.hasPrefix("catalogue.sqlite") {
                try FileManager.default.removeItem(atPath: "\(library)/\(name)")
            }
            for name in names {
                try FileManager.default.copyItem(atPath: saved.appendingPathComponent(name).path, toPath: "\(library)/\(name)")
            }
        default:
            var text = try String(contentsOf: anchor, encoding: .utf8).split(separator: "\n").map(String.init)
            text[1] = String((Int(text[1]) ?? 0) - 1)
            try (text.joined(separator: "\n") + "\n").write(to: anchor, atomically: true, encoding: .utf8)
        }
        let audit = try evidence("audit", "verify")
        #expect(audit.status == 4, "\(mode): \(audit.stderr)")
        #expect(audit.stderr.contains("audit"), "\(audit.stderr)")
        #expect(try evidence("verify").status == 4, "\(mode)")
    }

    /// A command stopped between its commit and the anchor leaves the anchor behind: accepted, said, and advanced.
    @Test func aLaggingAnchorIsExplainedAndAdvanced() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try prepare()
        let behind = try Data(contentsOf: anchor)
        #expect(try evidence("pupils", "add", "Tom Brown").status == 0)
        try behind.write(to: anchor)
        let first = try evidence("audit", "verify")
        #expect(first.status == 0 && first.stderr.contains("behind"), "\(first.stderr)")
        #expect(try Data(contentsOf: anchor) != behind, "the anchor was advanced")
        let second = try evidence("audit", "verify")
        #expect(second.status == 0 && !second.stderr.contains("behind"), "\(second.stderr)")
        // Deleting the anchor of a library anchored from its creation is itself found.
        try FileManager.default.removeItem(at: anchor)
        #expect(try evidence("audit", "verify").status == 4)
    }
}
