@testable import Catalogue
import EvidenceKit
import Foundation
import GRDB
import TestSupport
import Vault
import Testing

/// A library made by an older evidence opens in this one, which says what it upgraded and leaves every row
/// authenticated and no plaintext behind.
@Suite(.serialized) struct MigrationTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-migrate-\(UUID().uuidString)")

    /// Schema v5 stored a school's own response terms as text; v6 seals them and re-authenticates the observations.
    @Test func plainResponseTermsAreSealedOnOpen() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try makeLibrary()
        #expect(try evidence("ingest", Fixtures.dcim().appendingPathComponent("102TABLET").path).status == 0)
        #expect(try evidence("pupils", "add", "Amira Khan").status == 0)
        #expect(try evidence("consent", "set", "amira-k", "capture", "granted", "--from", "2020-01-01").status == 0)
        #expect(try evidence("vocab", "add", "head banging").status == 0)
        let photo = try #require(try assets().first { $0["kind"] as? String == "photo" }?["id"] as? String)
        #expect(try evidence("tag", photo, "--pupil", "amira-k", "--area", "realisation", "--response", "head-banging").status == 0)

        // Put the catalogue back as v5 left it: the term in plain text, observations authenticated over it.
        let master = try Library.open(at: URL(fileURLWithPath: library), passphrase: "test passphrase 123").master
        let queue = try DatabaseQueue(path: library + "/catalogue.sqlite")
        try queue.writeWithoutTransaction { db in
            try db.execute(
                sql: """
                    UPDATE vocabulary SET term = 'head-banging', term_sealed = NULL;
                    UPDATE observation_response SET response = 'head-banging' WHERE response LIKE '~%';
                    DELETE FROM grdb_migrations WHERE identifier = 'v6-sealed-vocabulary';
                    ALTER TABLE vocabulary DROP COLUMN term_sealed;
                    """)
            let macs = RowAuthentication(mac: { master.rowMAC($0) })
            let transaction = SQLiteTransaction(db: db, auditHasher: { _, _ in Data() }, head: nil, macs: macs)
            try transaction.authenticateObservations(try Int64.fetchAll(db, sql: "SELECT id FROM observation"))
            try db.execute(sql: "VACUUM")
        }
        try queue.close()
        #expect(libraryFiles().contains { $0.data.range(of: Data("head-banging".utf8)) != nil }, "the v5 state holds the text")

        let found = try evidence("find", "--response", "head banging", "--json")
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stderr.contains("response terms are now sealed"), "\(found.stderr)")
        #expect(try found.json([[String: Any]].self).first?["responses"] as? [String] == ["head-banging"])
        let verify = try evidence("verify")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(!libraryFiles().contains { $0.data.range(of: Data("head-banging".utf8)) != nil }, "the term is still in plain text")
    }
}
