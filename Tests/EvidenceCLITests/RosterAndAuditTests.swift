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

    /// A child entered twice is merged: one pupil with both's observations, appearances and consent, the audit log
    /// still answering "who has seen her evidence?", every row authenticated, and no id ever reused.
    @Test func aPupilEnteredTwiceIsMerged() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try makeLibrary()
        #expect(try evidence("ingest", Fixtures.dcim().appendingPathComponent("102TABLET").path).status == 0)
        #expect(try evidence("pupils", "add", "Amira Khan", "--upn", "T900000000001").status == 0)
        #expect(try evidence("pupils", "add", "Amira Khan").status == 0)
        #expect(try evidence("consent", "set", "amira-k", "capture", "granted", "--from", "2020-01-01").status == 0)
        #expect(try evidence("consent", "set", "amira-k2", "capture", "granted", "--from", "2021-01-01").status == 0)
        #expect(try evidence("consent", "set", "amira-k2", "family-sharing", "granted", "--from", "2021-01-01").status == 0)
        let media = try assets()
        let video = try #require(media.first { $0["kind"] as? String == "video" }?["id"] as? String)
        let photo = try #require(media.first { $0["kind"] as? String == "photo" }?["id"] as? String)
        #expect(try evidence("tag", video, "--from", "0.5", "--to", "1", "--pupil", "amira-k", "--area", "exploration").status == 0)
        let second = try evidence("tag", photo, "--pupil", "amira-k2", "--area", "initiation", "--json")
        #expect(second.status == 0, "\(second.stderr)")
        let observation = try #require(try second.json([String: Any].self)["observation"] as? String)
        #expect(try evidence("edit", observation, "--prompt", "verbal").status == 0)
        // A judgement about the duplicate moves too (its row is checked whole before it moves).
        let judged = try evidence("judge", "amira-k2", "--area", "initiation", "--period", "autumn-2026", "--text", "Starts the switch game.")
        #expect(judged.status == 0, "\(judged.stderr)")

        let itself = try evidence("pupils", "merge", "amira-k", "into", "amira-k")
        #expect(itself.status == 2, "\(itself.stderr)")
        #expect(try evidence("pupils", "merge", "amira-k2", "onto", "amira-k").status != 0, "the word is `into`")
        let merged = try evidence("pupils", "merge", "amira-k2", "into", "amira-k", "--json")
        #expect(merged.status == 0, "\(merged.stderr)")
        let result = try merged.json([String: Any].self)
        #expect(result["movedObservations"] as? Int == 2, "both versions of the edited observation: \(result)")
        #expect(result["movedConsentDecisions"] as? Int == 2 && result["movedAppearances"] as? Int == 1, "\(result)")

        let handles = try evidence("pupils", "list", "--json").json([[String: Any]].self).compactMap { $0["handle"] as? String }
        #expect(handles == ["amira-k"], "\(handles)")
        let found = try evidence("find", "--pupil", "amira-k", "--json").json([[String: Any]].self)
        #expect(found.count == 2 && found.allSatisfy { $0["pupil"] as? String == "amira-k" }, "\(found)")
        let consent = try evidence("consent", "show", "amira-k", "--json").stdout
        #expect(String(decoding: consent, as: UTF8.self).contains("family-sharing"))
        let audit = try evidence("audit", "--pupil", "amira-k", "--json").json([[String: Any]].self)
        let actions = audit.compactMap { $0["action"] as? String }
        #expect(actions.filter { $0 == "tag" }.count == 2 && actions.contains("pupil-merge") && actions.contains("edit"), "\(actions)")
        #expect(audit.allSatisfy { $0["pupil"] as? String == "amira-k" }, "earlier entries are shown as the kept pupil")
        let judgements = try evidence("judgements", "amira-k", "--json")
        #expect(judgements.status == 0 && judgements.text.contains("Starts the switch game."), "\(judgements.text)\(judgements.stderr)")
        let verify = try evidence("verify")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        // A pupil added after the merge never takes the duplicate's id, so old audit entries keep naming her.
        #expect(try evidence("pupils", "add", "Leo Morris").status == 0)
        let leoAudit = try evidence("audit", "--pupil", "leo-m", "--json").json([[String: Any]].self)
        #expect(leoAudit.compactMap { $0["action"] as? String } == ["pupil-add"], "\(leoAudit)")
    }
}
