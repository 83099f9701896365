import Catalogue
import EvidenceKit
import Foundation
import GRDB
import TestSupport
import Testing
import Vault

/// The service layer's contract: no front end's words below the CLI, sessions checked, no environment read below it.
@Suite(.serialized) struct ServiceLayerTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-service-\(UUID().uuidString)")

    /// Every string literal in a Swift file (comments skipped), with its line.
    static func stringLiterals(_ source: String) -> [(line: Int, text: String)] {
        var found: [(Int, String)] = []
        let characters = Array(source)
        var index = 0, line = 1
        func at(_ offset: Int) -> Character? { index + offset < characters.count ? characters[index + offset] : nil }
        while index < characters.count {
            let c = characters[index]
            if c == "\n" { line += 1 }
            if c == "/", at(1) == "/" {
                while index < characters.count, characters[index] != "\n" { index += 1 }
                continue
            }
            if c == "\"" {
                let multi = at(1) == "\"" && at(2) == "\""
                index += multi ? 3 : 1
                var text = ""
                let start = line
                while index < characters.count {
                    let d = characters[index]
                    if d == "\\" {
                        text.append(d)
                        if let next = at(1) { text.append(next) }
                        index += 2
                        continue
                    }
                    if multi ? (d == "\"" && at(1) == "\"" && at(2) == "\"") : d == "\"" { break }
                    if d == "\n" { line += 1 }
                    text.append(d)
                    index += 1
                }
                index += multi ? 3 : 1
                found.append((start, text))
                continue
            }
            index += 1
        }
        return found
    }

    @Test func evidenceKitNamesNoFlagAndNoCommand() throws {
        let kit = Self.root.appendingPathComponent("Sources/EvidenceKit")
        let commands = [
            "init", "ingest", "assets", "show", "cat", "verify", "probe", "pupils", "staff", "consent", "tag", "untag",
            "edit", "moments", "appearances", "import-annotations", "export-annotations", "vocab", "audit", "find", "clip",
            "thumbnail", "play", "unlock", "lock",
        ]
        let flag = try Regex("--[a-zA-Z]")
        var offences: [String] = []
        let files = FileManager.default.enumerator(atPath: kit.path)?.compactMap { $0 as? String } ?? []
        #expect(files.count > 20, "the scan found the sources")
        for file in files where file.hasSuffix(".swift") {
            let source = try String(contentsOf: kit.appendingPathComponent(file), encoding: .utf8)
            for (line, text) in Self.stringLiterals(source) {
                if text.contains(flag) || commands.contains(where: { text.contains("evidence \($0)") }) {
                    offences.append("\(file):\(line): \(text)")
                }
            }
        }
        #expect(offences.isEmpty, "\(offences.joined(separator: "\n"))")
        // The scanner itself finds what it should.
        #expect(Self.stringLiterals("let a = \"use --to\" // \"--x\"\n").map(\.text) == ["use --to"])
    }

    /// Only the front end reads the environment: no layer below it (EvidenceKit, Catalogue, Media, Vault) does.
    @Test func noLayerBelowTheCLIReadsTheEnvironment() throws {
        var readers: [String] = []
        for layer in ["EvidenceKit", "Catalogue", "Media", "Vault"] {
            let folder = Self.root.appendingPathComponent("Sources/\(layer)")
            for file in FileManager.default.enumerator(atPath: folder.path)?.compactMap({ $0 as? String }) ?? [] where file.hasSuffix(".swift") {
                let source = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                if source.contains("processInfo.environment") || source.contains("getenv(") { readers.append("\(layer)/\(file)") }
            }
        }
        #expect(readers.isEmpty, "\(readers)")
    }

    @Test func unknownActingStaffIsRefusedAndObserverIsRecorded() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try makeLibrary()
        #expect(try evidence("ingest", Fixtures.dcim().appendingPathComponent("102TABLET").path).status == 0)
        #expect(try evidence("staff", "add", "ms-patel", "--name", "Priya Patel").status == 0)
        let stranger = try evidence("assets", env: ["EVIDENCE_STAFF": "nobody-here"])
        #expect(stranger.status == 2, "\(stranger.stderr)")
        #expect(stranger.stderr.contains("evidence staff add nobody-here"), "\(stranger.stderr)")
        let asOption = try evidence("assets", "--as", "mr-who")
        #expect(asOption.status == 2 && asOption.stderr.contains("--as"), "\(asOption.stderr)")
        #expect(try evidence("pupils", "add", "Amira Khan").status == 0)
        #expect(try evidence("consent", "set", "amira-k", "capture", "granted", "--from", "2020-01-01").status == 0)
        let video = try #require(try assets().first { $0["kind"] as? String == "video" }?["id"] as? String)
        let tagged = try evidence("tag", video, "--pupil", "amira-k", "--area", "exploration", "--observer", "ms-patel")
        #expect(tagged.status == 0, "\(tagged.stderr)")
        let moments = try evidence("moments", video, "--json").json([[String: Any]].self)
        let observers = moments.flatMap { ($0["observations"] as? [[String: Any]]) ?? [] }.compactMap { $0["observer"] as? String }
        #expect(observers == ["ms-patel"])
        // Nobody named (and the staff list is not empty): reading works, tagging asks who is observing.
        let anonymous = try evidence("tag", video, "--pupil", "amira-k", "--area", "initiation", env: ["EVIDENCE_STAFF": ""])
        #expect(anonymous.status == 2 && anonymous.stderr.contains("--observer"), "\(anonymous.stderr)")
        // No library at all says so and how to make one.
        let none = try evidence("assets", env: ["EVIDENCE_LIBRARY": dir.appendingPathComponent("nowhere").path])
        #expect(none.status == 2 && none.stderr.contains("evidence init"), "\(none.stderr)")
    }

    /// A stored value this version does not know is an integrity failure, never read as some default.
    @Test func anUnknownStoredConsentPurposeFailsClosed() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try makeLibrary()
        #expect(try evidence("ingest", Fixtures.dcim().appendingPathComponent("102TABLET").path).status == 0)
        #expect(try evidence("pupils", "add", "Amira Khan").status == 0)
        #expect(try evidence("consent", "set", "amira-k", "capture", "refused", "--from", "2020-01-01").status == 0)
        let video = try #require(try assets().first { $0["kind"] as? String == "video" }?["id"] as? String)
        let catalogue = try DatabaseQueue(path: dir.appendingPathComponent("lib/catalogue.sqlite").path)
        try catalogue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(
                sql: """
                    INSERT INTO consent (pupil_id, purpose, decision, effective_from, recorded_at, recorded_by)
                    SELECT pupil_id, 'swimming', 'granted', '2020-01-02', recorded_at, recorded_by FROM consent LIMIT 1
                    """)
        }
        let shown = try evidence("consent", "show", "amira-k", "--json")
        #expect(shown.status == 4, "\(shown.stderr)")
        // Listing assets reads the register too (the consent gate marks what is kept back): it fails closed as well.
        #expect(try evidence("assets", "--json").status == 4)
        let tagged = try evidence("tag", video, "--pupil", "amira-k", "--area", "exploration")
        #expect(tagged.status == 4, "\(tagged.stderr)")
        // Nothing was tagged (read from the table: listing moments now fails closed too, it consults the register).
        #expect(try evidence("moments", video, "--json").status == 4)
        #expect(try catalogue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM observation") } == 0)
    }

    @Test func nothingBelowTheCLIReadsTheEnvironment() async throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        setenv("EVIDENCE_STAFF", "bogus\nname", 1)
        setenv("EVIDENCE_TIMEZONE", "Pacific/Kiritimati", 1)
        defer {
            unsetenv("EVIDENCE_STAFF")
            unsetenv("EVIDENCE_TIMEZONE")
        }
        let (library, _) = try Library.create(
            at: dir.appendingPathComponent("lib"), passphrase: "test passphrase 123", strength: .interactive,
            createdBy: "setup")
        let session = try TestSession.make(library)
        #expect(session.actor.auditName == "test-teacher")
        #expect(session.timeZone.identifier == "Europe/London")
        _ = try Roster(session).addPupil(PupilDraft(name: "Leo Morris"))
        let actors = Set(try Auditor(session).auditEntries().map(\.actor))
        #expect(actors == ["setup", "test-setup", "test-teacher"], "\(actors)")
    }
}
