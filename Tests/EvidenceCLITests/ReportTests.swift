import Catalogue
import Documents
import EvidenceKit
import Foundation
import TestSupport
import Testing
import Vault

/// Reports: a generated catalogue's pupil report shows exactly that pupil's evidence, in HTML that fetches nothing;
/// the forms of progress are exactly those of hand-made histories; alpha equals the krippendorff package; the parent
/// report never lets another child reach the family; the DfE return matches the roster.
@Suite(.serialized) struct ReportTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-report-\(UUID().uuidString)")

    typealias Seeded = ConsentPropertyTests.SeededGenerator

    /// What the test itself knows it created, to compare reports against.
    struct Created {
        var id: ObservationID
        var pupil: String
        var areas: [String]
        var note: String
    }

    /// A library at the harness's path with six pupils, three staff, 300 observations with every field, second
    /// codings and judgements; returns what was created for the first pupil.
    func generate(seed: UInt64, count: Int = 300) async throws -> (subject: String, created: [Created], period: ReportPeriod) {
        var random = Seeded(seed: seed)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let (library, _) = try Library.create(
            at: URL(fileURLWithPath: library), passphrase: "test passphrase 123", strength: .interactive, createdBy: "test-teacher")
        let session = try TestSession.make(library)
        _ = try await Ingestor(session).ingest(paths: [Fixtures.dcim().appendingPathComponent("102TABLET").path])
        for (handle, name) in [("ms-patel", "Priya Patel"), ("mr-jones", "Owen Jones")] {
            try StaffList(session).addStaff(handle: handle, name: name, role: nil)
        }
        var pupils: [Pupil] = []
        for index in 0..<6 {
            let pupil = try Roster(session).addPupil(
                PupilDraft(name: "Child\(index) Family\(index)", outcomes: ["Reaches for a named object", "Anticipates snack time"]))
            for purpose in [ConsentPurpose.capture, .familySharing, .appearInOthers] {
                _ = try ConsentRegister(session).setConsent(pupil: pupil, purpose: purpose, decision: .granted, effectiveFrom: "2020-01-01")
            }
            pupils.append(pupil)
        }
        let assets = try library.catalogue.read { try $0.allAssets() }.filter { $0.contentType != "image/webp" }
        let staff = ["test-teacher", "ms-patel", "mr-jones"]
        let cues = Cue.allCases.map(\.rawValue), supports = Support.allCases.map(\.rawValue)
        var created: [Created] = []
        for index in 0..<count {
            let asset = assets.randomElement(using: &random)!
            let pupil = index % 3 == 0 ? pupils[0] : pupils.randomElement(using: &random)!
            var fields = ObservationFields()
            fields.areas = Array(EngagementArea.allCases.map(\.rawValue).shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random)))
            fields.responses = Array(Vocabulary.builtinResponses.shuffled(using: &random).prefix(Int.random(in: 0...2, using: &random)))
            fields.prompt = PromptLevel.allCases.randomElement(using: &random)!.rawValue
            fields.cues = [cues.randomElement(using: &random)!]
            fields.cueNovelty = ["new", "familiar"].randomElement(using: &random)!
            fields.supports = [supports.randomElement(using: &random)!]
            fields.reinforcement = Reinforcement.allCases.randomElement(using: &random)!.rawValue
            fields.state = Vocabulary.builtinStates.randomElement(using: &random)!
            fields.setting = ["sensory room", "classroom", "hydrotherapy pool"].randomElement(using: &random)!
            fields.activity = ["sensory story", "snack", "music"].randomElement(using: &random)!
            fields.withStaff = [staff.randomElement(using: &random)!]
            fields.outcome = Bool.random(using: &random) ? Int.random(in: 1...2, using: &random) : nil
            fields.note = "note-\(index)"
            var from: Int64?, to: Int64?
            if asset.kind == .video {
                let duration = Int64((asset.durationSeconds ?? 2) * 1000)
                from = Int64.random(in: 0..<(duration - 200), using: &random)
                to = Int64.random(in: (from! + 100)...duration, using: &random)
            }
            let observer = staff.randomElement(using: &random)!
            let result = try Tagger(session).tag(
                asset: asset, from: from, to: to, draft: ObservationDraft(pupil: pupil.handle, fields: fields), observer: observer)
            if pupil.id == pupils[0].id { created.append(Created(id: result.observation, pupil: pupil.handle, areas: fields.areas, note: "note-\(index)")) }
            // Every fifth: a second, independent coding by someone else (never evidence).
            if index % 5 == 0, asset.kind == .video {
                let second = staff.first { $0 != observer }!
                var other = fields
                other.note = "second-\(index)"
                other.areas = [EngagementArea.allCases.randomElement(using: &random)!.rawValue]
                let coder = try Session(library: library, acting: second, login: "test-setup")
                _ = try Tagger(coder).tag(
                    asset: asset, from: from, to: to, draft: ObservationDraft(pupil: pupil.handle, fields: other), coding: .second)
            }
        }
        for asset in assets { _ = try Tagger(session).appearances(of: asset, reviewed: true) }
        let day = CalendarDate.day(of: assets[0].capturedAt, in: session.timeZone)
        let period = ReportPeriod.academicYear(containing: day)
        try Judge(session).record(
            pupil: pupils[0].handle, area: "anticipation", period: period.name, text: "Anticipates the song with stilling.",
            evidence: [created[0].id.description])
        return (pupils[0].handle, created, period)
    }

    @Test func aPupilReportShowsExactlyItsEvidenceAndFetchesNothing() async throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (subject, created, period) = try await generate(seed: 7)
        let json = try evidence("report", "pupil", subject, "--period", period.name, "--json")
        #expect(json.status == 0, "\(json.stderr)")
        let report = try json.json([String: Any].self)
        let areas = try #require(report["areas"] as? [[String: Any]])
        #expect(areas.map { $0["area"] as? String } == EngagementArea.allCases.map(\.rawValue), "all five, in order")
        for section in areas {
            let area = try #require(section["area"] as? String)
            let shown = Set((section["cards"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            let expected = Set(created.filter { $0.areas.contains(area) }.map(\.id.description))
            #expect(shown == expected, "\(area): the report's cards are the pupil's observations in it, and only those")
        }
        let html = dir.appendingPathComponent("pupil.html")
        let written = try evidence("report", "pupil", subject, "--period", period.name, "-o", html.path)
        #expect(written.status == 0, "\(written.stderr)")
        let text = try String(contentsOf: html, encoding: .utf8)
        // Every observation of the pupil and no other: each card ends with its id; notes are the test's markers.
        let ids = Set(text.matches(of: /(o\d+) · recorded by/).map { String($0.1) })
        #expect(ids == Set(created.map(\.id.description)))
        let notes = Set(text.matches(of: /(note|second)-\d+/).map { String($0.0) })
        #expect(notes == Set(created.map(\.note)), "no other pupil's observation and no second coding")
        try Self.expectSelfContained(text)
        try Self.expectNoScoreWords(text)
        #expect(try FileManager.default.attributesOfItem(atPath: html.path)[.posixPermissions] as? Int == 0o600)
        // The report was audited, naming the pupil.
        let audit = try evidence("audit", "--pupil", subject, "--json").json([[String: Any]].self)
        #expect(audit.contains { $0["action"] as? String == "report-pupil" })
    }

    /// No URL a browser would fetch (the SVG namespace aside), and every inline SVG is well-formed XML (xmllint).
    static func expectSelfContained(_ html: String) throws {
        for match in html.matches(of: /(?:src|href|srcset|poster|xlink:href)\s*=\s*"([^"]*)"/) {
            let value = String(match.1)
            #expect(!value.contains("http:") && !value.contains("https:") && !value.contains("//"), "fetchable URL: \(value.prefix(60))")
            #expect(value.hasPrefix("data:") || value.hasPrefix("#"), "a relative file: \(value.prefix(60))")
        }
        #expect(!html.contains("url(") && !html.contains("@import"), "CSS must not fetch")
        let withoutNamespace = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        #expect(!withoutNamespace.contains("http://") && !withoutNamespace.contains("https://"))
        for svg in html.matches(of: /<svg[\s\S]*?<\/svg>/) {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("chart-\(UUID().uuidString).svg")
            defer { try? FileManager.default.removeItem(at: file) }
            try String(svg.0).write(to: file, atomically: true, encoding: .utf8)
            let lint = Process()
            lint.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
            lint.arguments = ["--noout", file.path]
            try lint.run()
            lint.waitUntilExit()
            #expect(lint.terminationStatus == 0, "an SVG does not parse")
        }
    }

    /// Words a report never uses about a pupil (in what a reader sees: tags and the stylesheet removed).
    static func expectNoScoreWords(_ html: String) throws {
        let visible = html.replacing(/<style>[\s\S]*?<\/style>/, with: " ").replacing(/<[^>]+>/, with: " ").lowercased()
        for word in ["score", "points", "rank", "top", "best", "league", "percentile"] {
            #expect(visible.firstMatch(of: try Regex("\\b\(word)\\b")) == nil, "the report says \"\(word)\"")
        }
        #expect(visible.firstMatch(of: /level \d+ of \d+/) == nil)
    }

    // MARK: - In a real browser

    /// Each report opened in headless Chromium (through selenium): the headings a reader sees, every card, every
    /// picture decoded, no network request attempted; screenshots under .build/report-screenshots/ to look at.
    @Test func reportsOpenInARealBrowser() async throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (subject, created, period) = try await generate(seed: 3, count: 24)
        var files: [String] = []
        let year = Int(period.last.prefix(4))!
        for (name, args) in [
            ("pupil", ["pupil", subject, "--period", period.name]), ("ehc", ["ehc", subject, "--period", period.name]),
            ("parent", ["parent", subject, "--year", String(year)]), ("moderation", ["moderation", "--period", period.name]),
        ] {
            let file = dir.appendingPathComponent("\(name).html").path
            let made = try evidence(arguments: ["report"] + args + ["-o", file])
            #expect(made.status == 0, "\(name): \(made.stderr)")
            files.append("\(name)=\(file)")
        }
        let shots = Self.root.appendingPathComponent(".build/report-screenshots").path
        let output = try Self.python([Self.root.appendingPathComponent("Tests/Browser/check_reports.py").path, shots] + files)
        let pages = try #require(try JSONSerialization.jsonObject(with: output) as? [String: [String: Any]])
        let areaTitles = EngagementArea.allCases.map { $0.rawValue.capitalized }
        for (name, page) in pages {
            #expect((page["requests"] as? [String])?.isEmpty == true, "\(name) tried to fetch \(page["requests"] ?? "")")
            #expect(page["images"] as? Int == page["imagesDecoded"] as? Int, "\(name): an image did not decode")
        }
        let pupil = try #require(pages["pupil"])
        #expect(areaTitles.allSatisfy { (pupil["h2"] as? [String] ?? []).contains($0) }, "every area has its heading")
        let cards = created.reduce(0) { $0 + $1.areas.count }
        #expect(pupil["cards"] as? Int == cards, "one card per observation per area")
        #expect((pupil["images"] as? Int ?? 0) > 0)
        let parent = try #require(pages["parent"])
        #expect(areaTitles.allSatisfy { (parent["h2"] as? [String] ?? []).contains($0) })
        #expect(!(parent["text"] as? String ?? "").contains("Family1"), "another child's name")
        #expect((pages["moderation"]?["units"] as? Int ?? 0) > 0, "the second codings are side by side")
        for name in pages.keys { #expect(FileManager.default.fileExists(atPath: "\(shots)/\(name).png")) }
    }

    // MARK: - The parent report

    /// Random rosters, consent histories, appearances and reviews: an independent oracle (DESIGN.md's rule written
    /// out here) decides every moment, the report's manifest and a family share agree with it, and the document
    /// never holds another child's name or the poster frame of a moment that was left out.
    @Test(arguments: [UInt64(11), 12, 13, 14, 15, 16, 17, 18])
    func aParentReportNeverLetsAnotherChildReachTheFamily(seed: UInt64) async throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        var random = Seeded(seed: seed)
        let (library, _) = try Library.create(at: dir, passphrase: "property passphrase", strength: .interactive, createdBy: "test-teacher")
        let session = try TestSession.make(library)
        _ = try await Ingestor(session).ingest(paths: [Fixtures.dcim().appendingPathComponent("102TABLET").path])
        let assets = try library.catalogue.read { try $0.allAssets() }.filter { $0.contentType != "image/webp" }
        let names = ["Zara Quintero", "Obi Lindqvist", "Mei Hartono", "Ravi Okonkwo-Hale"]
        let subject = try Roster(session).addPupil(PupilDraft(name: "Amira Subject", outcomes: []))
        var others: [Pupil] = []
        for name in names { others.append(try Roster(session).addPupil(PupilDraft(name: name, outcomes: []))) }
        let captureDay = CalendarDate.day(of: assets[0].capturedAt, in: session.timeZone)
        func day(_ offset: Int) -> String { ConsentPropertyTests.day(assets[0].capturedAt, plus: offset, zone: session.timeZone) }
        var history: [PupilID: [ConsentPropertyTests.Decision]] = [:]
        for pupil in [subject] + others {
            _ = try ConsentRegister(session).setConsent(pupil: pupil, purpose: .capture, decision: .granted, effectiveFrom: "2020-01-01")
            history[pupil.id] = [ConsentPropertyTests.Decision(purpose: .capture, decision: .granted, day: "2020-01-01")]
            let purpose: ConsentPurpose = pupil.id == subject.id ? .familySharing : .appearInOthers
            // Mostly granted before the capture, then perhaps changed (before or after it).
            for change in 0..<Int.random(in: 1...3, using: &random) {
                let first = change == 0 && Int.random(in: 0..<4, using: &random) > 0
                let decision = ConsentPropertyTests.Decision(
                    purpose: purpose,
                    decision: first ? .granted : [.granted, .withdrawn, .refused].randomElement(using: &random)!,
                    day: first ? day(-60) : day(Int.random(in: -30...120, using: &random)))
                _ = try ConsentRegister(session).setConsent(
                    pupil: pupil, purpose: decision.purpose, decision: decision.decision, effectiveFrom: decision.day)
                history[pupil.id, default: []].append(decision)
            }
        }
        var reviewed: Set<AssetID> = []
        for asset in assets {
            let shown = others.filter { _ in Int.random(in: 0..<3, using: &random) == 0 }
            for index in 0..<Int.random(in: 1...3, using: &random) {
                var draft = ObservationDraft(pupil: subject.handle)
                draft.areas = [EngagementArea.allCases.randomElement(using: &random)!.rawValue]
                draft.responses = ["reaching"]
                draft.note = shown.isEmpty ? "on their own" : "took turns with \(shown[0].nameParts.forename) and \(shown[0].handle)"
                draft.also = shown.map(\.handle)
                let from: Int64? = asset.kind == .video ? Int64(index * 300) : nil
                _ = try Tagger(session).tag(asset: asset, from: from, to: from.map { $0 + 250 }, draft: draft)
            }
            if Int.random(in: 0..<3, using: &random) > 0 {
                _ = try Tagger(session).appearances(of: asset, reviewed: true, noneElse: shown.isEmpty)
                reviewed.insert(asset.id)
            }
        }
        let today = CalendarDate.day(of: Date(), in: session.timeZone)
        func granted(_ pupil: PupilID, _ purpose: ConsentPurpose, _ on: String) -> Bool {
            ConsentPropertyTests.oracle(history[pupil] ?? [], purpose, on: on)
        }
        let year = Int(ReportPeriod.academicYear(containing: captureDay).last.prefix(4))!
        let report: ParentReport
        do {
            report = try ParentReporter(session).report(subject.handle, year: year)
        } catch {
            #expect(error.category == .refusedByConsent && !granted(subject.id, .familySharing, today), "seed \(seed): \(error)")
            return
        }
        #expect(granted(subject.id, .familySharing, today), "seed \(seed): made without family-sharing consent today")
        print("parent report, seed \(seed): \(report.manifest.filter(\.included).count) of \(report.manifest.count) moments included")
        let shownBy = try library.catalogue.read { try $0.pupilsShown(assetIDs: assets.map(\.id)) }
        for row in report.manifest {
            let asset = try #require(row.asset, "every moment here is on media")
            let others = (shownBy[asset] ?? []).subtracting([subject.id])
            let oracle =
                granted(subject.id, .familySharing, row.date) && granted(subject.id, .familySharing, today) && reviewed.contains(asset)
                && others.allSatisfy { granted($0, .appearInOthers, row.date) && granted($0, .appearInOthers, today) }
            #expect(row.included == oracle, "seed \(seed): \(row)")
        }
        // A share for the family follows the same rule, moment by moment (one per moment, not per observation).
        let oracleMoments = Set(
            report.manifest.filter(\.included).map(\.moment))
        do {
            let share = try ParentShare(session).select(subject.handle, period: ReportPeriod.academicYear(containing: captureDay).name)
            #expect(Set(share.items.map(\.moment)) == oracleMoments, "seed \(seed): the share's moments")
            #expect(Set(share.manifest.excluded.map(\.moment)).isDisjoint(with: oracleMoments))
            #expect(share.items.allSatisfy { !$0.caption.contains("Zara") && !$0.caption.contains("Obi") })
        } catch {
            #expect(error.category == .refusedByConsent && oracleMoments.isEmpty, "seed \(seed): \(error)")
        }
        let html = try ReportHTML.parent(report)
        for other in others {
            for word in other.name.split(separator: " ") + [Substring(other.handle)] {
                #expect(!html.localizedCaseInsensitiveContains(word), "seed \(seed): \(word) is in the parent report")
            }
        }
        // A poster frame of a moment left out never reaches the file (unless the same frame is also in a moment kept).
        let views = try Finder(session).find(FindQuery())
        let kept = Set(report.manifest.filter(\.included).map(\.observation))
        let keptFrames = Set(views.filter { kept.contains($0.id) }.map { "\($0.asset?.rawValue ?? "")@\($0.startMs ?? 0)" })
        for view in views where !kept.contains(view.id) && !keptFrames.contains("\(view.asset?.rawValue ?? "")@\(view.startMs ?? 0)") {
            let asset = try #require(assets.first { $0.id == view.asset })
            let frame = try ThumbnailMaker(session).thumbnail(of: asset, atMs: view.startMs ?? 0, width: 320).jpeg
            #expect(!html.contains(ReportHTML.dataURI(frame)), "seed \(seed): a left-out moment's frame is in the report")
        }
    }

    // MARK: - From home

    /// An observation from home (no media) is listed, reported and shared as such, and authenticated like any other.
    @Test func anObservationFromHomeIsShownAsSuch() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try makeLibrary()
        #expect(try evidence("pupils", "add", "Amira Khan").status == 0)
        for purpose in ["capture", "family-sharing"] {
            #expect(try evidence("consent", "set", "amira-k", purpose, "granted", "--from", "2020-01-01").status == 0)
        }
        let tagged = try evidence(
            "tag", "--source", "family", "--pupil", "amira-k", "--on", "2026-10-03", "--at", "18:30", "--area", "initiation",
            "--response", "reaching", "--note", "Reached for the light switch at bath time", "--json")
        #expect(tagged.status == 0, "\(tagged.stderr)")
        #expect(try evidence("tag", "--source", "family", "--pupil", "amira-k", "--area", "initiation").status == 2, "needs --on")
        let found = try evidence("find", "--pupil", "amira-k", "--json").json([[String: Any]].self)
        #expect(found.count == 1 && found[0]["origin"] as? String == "family" && found[0]["asset"] is NSNull, "\(found)")
        #expect(found.first?["occurredAt"] as? String == "2026-10-03T18:30:00+01:00")
        #expect((found.first?["timeOfDay"] as? String) == nil, "find prints the view, not the report card")
        let html = dir.appendingPathComponent("p.html")
        #expect(try evidence("report", "pupil", "amira-k", "--period", "autumn-2026", "-o", html.path).status == 0)
        #expect(try String(contentsOf: html, encoding: .utf8).contains("From home, as the family told us"))
        let parent = try evidence("report", "parent", "amira-k", "--year", "2027", "--json").json([String: Any].self)
        let manifest = try #require(parent["manifest"] as? [[String: Any]])
        #expect(manifest.count == 1 && manifest[0]["inReport"] as? Bool == true, "\(manifest)")
        let moment = try #require(found.first?["moment"] as? String)
        #expect(try evidence("clip", moment, "-o", dir.appendingPathComponent("c.mp4").path).status == 2, "no media to clip")
        #expect(try evidence("verify").status == 0)
    }

    // MARK: - The DfE return

    @Test func theDfEReturnListsTheFlaggedYearSixPupilsAndNamesWhoLacksAUPN() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try makeLibrary()
        let roster = dir.appendingPathComponent("roster.csv")
        try """
            Forename,Surname,UPN,Date of birth,Year group
            Amira,Khan,A123456789012,09/03/2015,Year 6
            Leo,O'Neill Smith,B123456789012,20/11/2014,6
            Sam,Ng,,01/02/2015,Year 6
            Tom,Byrne,C123456789012,14/07/2017,Year 3
            """.write(to: roster, atomically: true, encoding: .utf8)
        #expect(try evidence("pupils", "import", roster.path).status == 0)
        let handles = try evidence("pupils", "list", "--json").json([[String: Any]].self).compactMap { $0["handle"] as? String }
        #expect(handles.count == 4 && handles.contains("sam-n"), "\(handles)")
        for handle in handles {
            #expect(try evidence("pupils", "edit", handle, "--engagement-model").status == 0, "\(handle)")
        }
        let missing = try evidence("report", "dfe-return", "--year", "2026")
        #expect(missing.status == 2 && missing.stderr.contains("sam-n") && !missing.stderr.contains("amira-k"), "\(missing.stderr)")
        #expect(try evidence("pupils", "edit", "sam-n", "--no-engagement-model").status == 0)
        let csv = try evidence("report", "dfe-return", "--year", "2026")
        #expect(csv.status == 0, "\(csv.stderr)")
        let expected =
            "UPN,Surname,Forename,DOB,Reading,Writing,Maths\r\nA123456789012,Khan,Amira,09/03/2015,EM,EM,EM\r\n"
            + "B123456789012,O'Neill Smith,Leo,20/11/2014,EM,EM,EM\r\n"
        #expect(csv.text == expected, "the roster's own surname column is used")
        let audit = try evidence("audit", "--json").json([[String: Any]].self)
        #expect(audit.filter { $0["action"] as? String == "report-dfe-return" }.count == 2, "one entry per pupil listed")
    }

    // MARK: - Forms of progress

    static func input(
        _ id: Int64, _ day: String, _ area: EngagementArea, _ response: String, prompt: PromptLevel? = nil, setting: String? = nil,
        staff: [String] = [], hour: Int = 10
    ) -> ProgressInput {
        ProgressInput(
            id: ObservationID(id), day: day, timeOfDay: TimeOfDay(minutes: hour * 60), areas: [area], responses: [response],
            prompt: prompt, activity: nil, setting: setting, withStaff: staff)
    }

    @Test func formsOfProgressAreExactlyThoseTheHistoryShows() {
        // Prompting falls from physical to independent, on three days a week apart (and nothing recurs after 4 weeks).
        let prompting = [
            Self.input(1, "2026-09-07", .anticipation, "stilling", prompt: .physical),
            Self.input(2, "2026-09-14", .anticipation, "stilling", prompt: .verbal),
            Self.input(3, "2026-09-21", .anticipation, "stilling", prompt: .independent),
        ]
        let found = ProgressIndicators.find(in: prompting)
        #expect(found.map(\.kind) == [.reducedPrompting, .consistency])
        #expect(found.allSatisfy { $0.observations == [1, 2, 3].map(ObservationID.init) })

        // A response in three settings with two staff, on one day: generalisation across settings and staff only.
        let places = [
            Self.input(10, "2026-10-05", .exploration, "reaching", setting: "classroom", staff: ["ms-patel"]),
            Self.input(11, "2026-10-05", .exploration, "reaching", setting: "sensory room", staff: ["ms-patel"]),
            Self.input(12, "2026-10-05", .exploration, "reaching", setting: "hall", staff: ["mr-jones"]),
        ]
        let general = ProgressIndicators.find(in: places)
        #expect(general.map(\.kind) == [.generalisation, .generalisation])
        #expect(general.map(\.across) == ["setting", "staff"])
        #expect(general.allSatisfy { $0.observations == [10, 11, 12].map(ObservationID.init) })

        // A recurrence after five weeks: maintained (and consistent); a three-week gap with --gap-weeks 4 is not.
        let later = [Self.input(20, "2026-09-01", .initiation, "switch-press"), Self.input(21, "2026-10-06", .initiation, "switch-press")]
        #expect(ProgressIndicators.find(in: later).map(\.kind) == [.consistency, .maintenance])
        let sooner = [Self.input(30, "2026-09-01", .persistence, "gaze"), Self.input(31, "2026-09-22", .persistence, "gaze")]
        #expect(ProgressIndicators.find(in: sooner).map(\.kind) == [.consistency])
        #expect(ProgressIndicators.find(in: sooner, gapWeeks: 3).map(\.kind) == [.consistency, .maintenance])
        // Morning and afternoon are two times of day.
        let times = [
            Self.input(40, "2026-09-01", .realisation, "smiling", hour: 9), Self.input(41, "2026-09-01", .realisation, "smiling", hour: 14),
        ]
        #expect(ProgressIndicators.find(in: times).map(\.across) == ["time of day"])
    }

    // MARK: - Krippendorff's alpha

    @Test func alphaEqualsTheKrippendorffPackage() throws {
        // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the nominal example with missing values.
        let paper: [[Int?]] = [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
            [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
        ]
        let alpha = try #require(Krippendorff.alphaNominal(paper))
        #expect(abs(alpha - 0.743) < 0.0005, "\(alpha)")
        // Random codings with missing values against the PyPI package.
        var random = Seeded(seed: 42)
        var cases: [[[Int?]]] = [paper]
        for _ in 0..<40 {
            let coders = Int.random(in: 2...5, using: &random), units = Int.random(in: 3...30, using: &random)
            let values = Int.random(in: 2...4, using: &random)
            cases.append(
                (0..<coders).map { _ in
                    (0..<units).map { _ in Int.random(in: 0..<5, using: &random) == 0 ? nil : Int.random(in: 0..<values, using: &random) }
                })
        }
        let input = dir.appendingPathComponent("codings.json")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try JSONSerialization.data(withJSONObject: cases.map { $0.map { $0.map { $0 as Any? ?? NSNull() } } }).write(to: input)
        let oracle = try Self.python([Self.root.appendingPathComponent("Tests/Browser/krippendorff_oracle.py").path, input.path])
        let expected = try #require(try JSONSerialization.jsonObject(with: oracle) as? [Any])
        #expect(expected.count == cases.count)
        for (data, theirs) in zip(cases, expected) {
            let ours = Krippendorff.alphaNominal(data)
            if let theirs = theirs as? Double {
                #expect(abs((ours ?? .nan) - theirs) < 1e-9, "\(data): ours \(String(describing: ours)), theirs \(theirs)")
            } else {
                #expect(ours == nil, "undefined for the package: \(data)")
            }
        }
    }

    /// A Python script's exit status (its output dropped).
    static func pythonStatus(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs a Python script from the test environment (`Scripts/test` puts its venv first on PATH); its stdout.
    static func python(_ arguments: [String], env: [String: String] = [:]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        if !env.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let problems = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 \(arguments.joined(separator: " ")): \(problems)")
        return data
    }
}
