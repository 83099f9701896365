import Catalogue
import EvidenceKit
import Foundation
import TestSupport
import Testing

/// The consent gate at every use: as a property over random registers, and end to end through every output.
@Suite(.serialized) struct ConsentGateTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-gate-\(UUID().uuidString)")

    /// The gate against the oracle: evidence of P captured on day C may be used today T exactly when capture is
    /// granted on C and on T (a withdrawal dated D stops every use from D on, whenever the media was captured), and
    /// evidence showing several pupils is refused when any of them is restricted.
    @Test(arguments: [UInt64(11), 12, 13, 14])
    func theGateMatchesTheRuleOverRandomRegisters(seed: UInt64) {
        var random = ConsentPropertyTests.SeededGenerator(seed: seed)
        let days = (1...28).map { String(format: "2026-02-%02d", $0) }
        var entries: [ConsentEntry] = []
        var histories: [PupilID: [ConsentPropertyTests.Decision]] = [:]
        var sequence: Int64 = 0
        for pupil in (1...8).map(PupilID.init) {
            for _ in 0..<Int.random(in: 0...5, using: &random) {
                sequence += 1
                let decision = ConsentPropertyTests.Decision(
                    purpose: [.capture, .capture, .appearInOthers].randomElement(using: &random)!,
                    decision: ConsentDecision.allCases.randomElement(using: &random)!,
                    day: days.randomElement(using: &random)!)
                histories[pupil, default: []].append(decision)
                entries.append(
                    ConsentEntry(
                        pupilID: pupil, purpose: decision.purpose, decision: decision.decision,
                        effectiveFrom: decision.day, sequence: sequence))
            }
        }
        for _ in 0..<300 {
            let today = days.randomElement(using: &random)!
            let captured = days.filter { $0 <= today }.randomElement(using: &random)!
            let gate = ConsentGate(entries: entries, today: today)
            let shown = Set((0..<Int.random(in: 1...3, using: &random)).map { _ in PupilID(Int64.random(in: 1...8, using: &random)) })
            var expectedRefused: Set<PupilID> = []
            for pupil in shown {
                let history = histories[pupil] ?? []
                let usable =
                    ConsentPropertyTests.oracle(history, .capture, on: captured)
                    && ConsentPropertyTests.oracle(history, .capture, on: today)
                #expect((gate.restriction(of: pupil, capturedOn: captured) == nil) == usable, "seed \(seed): \(pupil) \(captured)→\(today)")
                if !usable { expectedRefused.insert(pupil) }
            }
            #expect(Set(gate.restrictions(showing: shown, capturedOn: captured).map(\.pupil)) == expectedRefused)
        }
    }

    /// Withdraw capture consent: every output of the pupil's evidence is refused with exit 5 and writes nothing;
    /// listings mark it; a break-glass reason lets an internal clip through, audited with the reason and the pupils.
    @Test func everyOutputConsultsTheGate() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try makeLibrary()
        #expect(try evidence("ingest", Fixtures.dcim().appendingPathComponent("102TABLET").path).status == 0)
        #expect(try evidence("pupils", "add", "Amira Khan").status == 0)
        #expect(try evidence("pupils", "add", "Leo Morris").status == 0)
        for pupil in ["amira-k", "leo-m"] {
            #expect(try evidence("consent", "set", pupil, "capture", "granted", "--from", "2020-01-01").status == 0)
        }
        let assets = try self.assets()
        let video = try #require(assets.first { $0["kind"] as? String == "video" }?["id"] as? String)
        let photo = try #require(assets.first { $0["kind"] as? String == "photo" && ($0["contentType"] as? String) == "image/jpeg" }?["id"] as? String)
        let tagged = try evidence("tag", video, "--from", "0.5", "--to", "2", "--pupil", "amira-k", "--area", "exploration", "--also", "leo-m", "--json")
        let moment = try #require(try tagged.json()["moment"] as? String)
        #expect(try evidence("tag", photo, "--pupil", "amira-k", "--area", "initiation").status == 0)
        // Before any withdrawal, outputs work and each is audited for both pupils shown.
        let allowed = dir.appendingPathComponent("allowed.mp4")
        #expect(try evidence("clip", moment, "-o", allowed.path).status == 0)
        let before = try evidence("audit", "--pupil", "leo-m", "--json").json([[String: Any]].self)
        #expect(before.contains { $0["action"] as? String == "clip" }, "a clip showing leo-m is in his audit")

        // The family withdraws capture consent today.
        #expect(try evidence("consent", "set", "amira-k", "capture", "withdrawn").status == 0)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let refusals: [[String]] = [
            ["cat", video],
            ["clip", moment, "-o", out.appendingPathComponent("c.mp4").path],
            ["clip", moment, "--into-vault"],
            ["thumbnail", photo, "-o", out.appendingPathComponent("t.jpg").path],
            ["play", moment, "--player", "/bin/true"],
            ["export-annotations", video, "--format", "csv"],
            ["export-annotations", video, "-o", out.appendingPathComponent("a.eaf").path],
        ]
        let assetsBefore = try self.assets().count
        for args in refusals {
            let r = try evidence(arguments: args)
            #expect(r.status == 5, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(args) wrote to stdout")
            #expect(r.stderr.contains("amira-k") && r.stderr.contains("evidence consent set amira-k capture granted"), "\(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty, "a refused output left a file")
        #expect(try self.assets().count == assetsBefore, "a refused clip was stored into the vault")
        // Listings still show it, marked.
        let found = try evidence("find", "--pupil", "amira-k", "--json").json([[String: Any]].self)
        #expect(!found.isEmpty && found.allSatisfy { $0["restricted"] as? Bool == true })
        let leo = try evidence("find", "--pupil", "leo-m", "--json").json([[String: Any]].self)
        #expect(leo.allSatisfy { $0["restricted"] as? Bool == true }, "leo-m's moment shows amira-k too")
        let restricted = try evidence("restricted", "--json").json([[String: Any]].self)
        #expect(Set(restricted.compactMap { $0["id"] as? String }) == [video, photo])
        #expect(try self.assets().first { $0["id"] as? String == video }?["restricted"] as? Bool == true)
        // Break-glass: an internal clip goes through with a reason, audited for both pupils with the reason sealed.
        let urgent = out.appendingPathComponent("urgent.mp4")
        let glass = try evidence("clip", moment, "-o", urgent.path, "--reason", "safeguarding referral 2026-12")
        #expect(glass.status == 0, "\(glass.stderr)")
        #expect(glass.stderr.contains("consent overridden"))
        #expect(FileManager.default.fileExists(atPath: urgent.path))
        for pupil in ["amira-k", "leo-m"] {
            let entries = try evidence("audit", "--pupil", pupil, "--json").json([[String: Any]].self)
            #expect(entries.contains { $0["note"] as? String == "safeguarding referral 2026-12" }, "\(pupil)")
        }
        #expect(!libraryFiles().contains { $0.data.range(of: Data("safeguarding referral".utf8)) != nil }, "the reason is sealed")
        #expect(try evidence("audit", "verify").status == 0)
        // Renewed consent lifts it.
        #expect(try evidence("consent", "set", "amira-k", "capture", "granted").status == 0)
        #expect(try evidence("clip", moment, "-o", out.appendingPathComponent("again.mp4").path).status == 0)
    }
}
