import Foundation
import TestSupport
import Testing

/// Reading a child's personal data is audited; a roster row that does not line up with its header is refused; a
/// duplicate pupil is caught, and a mistaken one can be removed.
@Suite(.serialized) struct RosterAndAuditTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-roster-\(UUID().uuidString)")

    @Test func viewsAreAuditedRowsMustMatchTheHeaderAndMistakesCanBeUndone() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try makeLibrary()
        // A row with one field too many (an unquoted comma in the name) would shift the UPN into the date column.
        let roster = dir.appendingPathComponent("roster.csv")
        try "Forename,Surname,UPN,Date of birth\nAmira,Khan,T900000000001,09/03/2016\nLeo,Morris, Jr,T900000000002,20/11/2015\n"
            .write(to: roster, atomically: true, encoding: .utf8)
        let shifted = try evidence("pupils", "import", roster.path)
        #expect(shifted.status == 2 && shifted.stderr.contains("line 3") && shifted.stderr.contains("5 fields"), "\(shifted.stderr)")
        #expect(try evidence("pupils", "list", "--json").json([[String: Any]].self).isEmpty, "nothing was imported")

        #expect(try evidence("pupils", "add", "Amira Khan").status == 0)
        let again = try evidence("pupils", "add", "Amira Khan")
        #expect(again.status == 0 && again.stderr.contains("amira-k is already called Amira Khan"), "\(again.stderr)")
        #expect(try evidence("pupils", "remove", "amira-k2").status == 0)
        #expect(try evidence("pupils", "list", "--json").json([[String: Any]].self).count == 1)
        #expect(try evidence("consent", "set", "amira-k", "capture", "granted").status == 0)
        let referenced = try evidence("pupils", "remove", "amira-k")
        #expect(referenced.status == 2 && referenced.stderr.contains("1 consent decision"), "\(referenced.stderr)")

        // Showing a pupil's profile and consent, and finding, are each audited for that pupil.
        #expect(try evidence("pupils", "show", "amira-k").status == 0)
        #expect(try evidence("consent", "show", "amira-k").status == 0)
        let actions = try evidence("audit", "--pupil", "amira-k", "--json").json([[String: Any]].self).compactMap { $0["action"] as? String }
        #expect(actions.contains("pupil-view") && actions.contains("consent-view"), "\(actions)")

        // Staff: one who has acted cannot be removed; one added by mistake can.
        #expect(try evidence("staff", "add", "ms-patel", "--name", "Priya Patel").status == 0)
        #expect(try evidence("staff", "remove", "ms-patel").status == 0)
        let acted = try evidence("staff", "remove", "test-teacher")
        #expect(acted.status == 2 && acted.stderr.contains("audit entr"), "\(acted.stderr)")
        #expect(try evidence("audit", "verify").status == 0)
    }
}
