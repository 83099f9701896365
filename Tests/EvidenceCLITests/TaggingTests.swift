import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import GRDB
import TestSupport
import Testing

/// Roster, consent, tagging, annotation round trips, sealing and the audit log, end to end through the CLI.
@Suite(.serialized) struct TaggingTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-tag-\(UUID().uuidString)")

    /// A library with the 102TABLET samples (a 4 s video among them), a roster of three and capture consent for two.
    func prepare() throws -> (video: String, photo: String) {
        try makeLibrary()
        #expect(try evidence("ingest", Fixtures.dcim().appendingPathComponent("102TABLET").path).status == 0)
        let all = try assets()
        let video = try #require(all.first { $0["kind"] as? String == "video" && ($0["durationSeconds"] as? Double ?? 0) >= 4 })
        let photo = try #require(all.first { $0["kind"] as? String == "photo" })
        let roster = dir.appendingPathComponent("roster.csv")
        try """
            Forename,Surname,Preferred name,UPN,DOB,Year group,Class,Primary need,Outcome 1,Outcome 2
            Amira,Khan,,A123456789012,09/03/2016,Year 4,Oak,PMLD,Makes choices with a switch,Tolerates messy play
            Leo,Morgan,,B123456789012,2015-11-20,Year 5,Oak,SLD,Anticipates routines,
            Leona,Marsh,Leo,C123456789012,2016-01-02,Year 4,Ash,PMLD,,

            """.write(to: roster, atomically: true, encoding: .utf8)
        let imported = try evidence("pupils", "import", roster.path, "--json")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try imported.json()["added"] as? [String] == ["amira-k", "leo-m", "leo-m2"])
        #expect(try evidence("pupils", "import", roster.path, "--json").json()["unchanged"] as? Int == 3)
        #expect(try evidence("staff", "add", "ms-patel", "--name", "Priya Patel", "--role", "teacher").status == 0)
        for pupil in ["amira-k", "leo-m"] {
            let set = try evidence("consent", "set", pupil, "capture", "granted", "--from", "2026-01-01", "--note", "Form filed in office")
            #expect(set.status == 0, "\(set.stderr)")
        }
        return (try #require(video["id"] as? String), try #require(photo["id"] as? String))
    }

    func moments(_ asset: String) throws -> [[String: Any]] {
        try evidence("moments", asset, "--json").json([[String: Any]].self)
    }

    func observations(_ asset: String) throws -> [[String: Any]] {
        try moments(asset).flatMap { $0["observations"] as? [[String: Any]] ?? [] }
    }

    @Test func tagEditUntagKeepHistoryAndCheckEveryField() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, photo) = try prepare()
        let tagged = try evidence(
            "tag", video, "--from", "00:01.2", "--to", "2.5", "--pupil", "amira", "--area", "Exploration,anticipation",
            "--response", "stilling", "--response", "head turn", "--intent", "intentional", "--prompt", "gestural",
            "--setting", "Sensory room", "--with-staff", "ms-patel", "--outcome", "2", "--note", "Stilled at the voice",
            "--also", "leo-m", "--json")
        #expect(tagged.status == 0, "\(tagged.stderr)")
        let first = try #require(try observations(video).first)
        #expect(first["startMs"] as? Int == 1200 && first["endMs"] as? Int == 2500)
        #expect(first["areas"] as? [String] == ["exploration", "anticipation"])
        #expect(first["responses"] as? [String] == ["head-turn", "stilling"])
        #expect(first["withStaff"] as? [String] == ["ms-patel"])
        #expect(first["outcome"] as? Int == 2 && first["note"] as? String == "Stilled at the voice")
        #expect(try evidence("appearances", video, "--json").json()["pupils"] as? [String] == ["amira-k", "leo-m"])
        // A photo takes no range; the whole photo is the moment.
        #expect(try evidence("tag", photo, "--pupil", "leo-m", "--area", "initiation", "--response", "reaching").status == 0)
        // Edit keeps the old version; untag stamps removal; both are audited.
        let id = try #require(first["id"] as? String)
        let edited = try evidence("edit", id, "--prompt", "independent", "--note", "", "--json")
        #expect(edited.status == 0, "\(edited.stderr)")
        let now = try #require(try observations(video).first)
        #expect(now["id"] as? String != id && now["prompt"] as? String == "independent" && now["note"] is NSNull)  // cleared: null, never an absent key (Docs/json.md)
        #expect(try evidence("edit", id, "--prompt", "verbal").stderr.contains("edit its newer version"))
        #expect(try evidence("untag", try #require(now["id"] as? String)).status == 0)
        #expect(try observations(video).isEmpty)
        let actions = try evidence("audit", "--pupil", "amira-k", "--json").json([[String: Any]].self).compactMap { $0["action"] as? String }
        #expect(actions.contains("tag") && actions.contains("edit") && actions.contains("untag") && actions.contains("consent-set"))
        #expect(try evidence("audit", "verify").status == 0)
    }

    @Test func badInputExitsTwoNamingTheFieldAndWritesNothing() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, photo) = try prepare()
        let cases: [([String], String)] = [
            (["tag", video, "--pupil", "zara", "--area", "exploration"], "--pupil"),
            (["tag", video, "--pupil", "leo", "--area", "exploration"], "matches several pupils"),
            (["tag", video, "--from", "3", "--to", "2", "--pupil", "amira-k"], "--to"),
            (["tag", video, "--from", "1", "--to", "9", "--pupil", "amira-k"], "past the end"),
            (["tag", video, "--pupil", "amira-k", "--area", "explore"], "--area"),
            (["tag", video, "--pupil", "amira-k", "--response", "frowning"], "--response"),
            (["tag", video, "--pupil", "amira-k", "--prompt", "shouted"], "--prompt"),
            (["tag", video, "--pupil", "amira-k", "--outcome", "7"], "--outcome"),
            (["tag", video, "--from", "1:xx", "--pupil", "amira-k"], "--from"),
            (["tag", photo, "--from", "1", "--to", "2", "--pupil", "amira-k"], "photo"),
            (["tag", video, "--pupil", "leo-m2", "--area", "exploration"], "capture consent"),
            (["consent", "set", "amira-k", "capture", "granted", "--from", "2026-02-30"], "--from"),
        ]
        for (args, needle) in cases {
            let r = try evidence(arguments: args)
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(needle), "\(args): \(r.stderr)")
        }
        // A bad event late in a file rolls back the whole import.
        let eaf = dir.appendingPathComponent("bad.eaf")
        try Self.eaf(tiers: [("Amira", [(100, 900, "still"), (1000, 2000, "exploration; reaching")]), ("Stranger", [(2100, 2200, "still")])])
            .write(to: eaf, atomically: true, encoding: .utf8)
        let map = try writeMap()
        let rolled = try evidence("import-annotations", eaf.path, "--asset", video, "--map", map)
        #expect(rolled.status == 2 && rolled.stderr.contains("Stranger") && rolled.stderr.contains("ANNOTATION"))
        let malformed = dir.appendingPathComponent("broken.eaf")
        try "<ANNOTATION_DOCUMENT><TIME_ORDER><TIME_SLOT TIME_SLOT_ID=\"ts1\" TIME_VALUE=\"1\"></TIME_ORDER>"
            .write(to: malformed, atomically: true, encoding: .utf8)
        let xml = try evidence("import-annotations", malformed.path, "--asset", video, "--map", map)
        #expect(xml.status == 2 && xml.stderr.contains("line"))
        let csv = dir.appendingPathComponent("bad.csv")
        try "start,end,pupil,areas\n0.5,1.0,amira-k,exploration\n1.5,abc,amira-k,exploration\n".write(to: csv, atomically: true, encoding: .utf8)
        let csvResult = try evidence("import-annotations", csv.path, "--asset", video)
        #expect(csvResult.status == 2 && csvResult.stderr.contains("line 3"))
        let noPupil = dir.appendingPathComponent("nopupil.json")
        try #"{"subjects": {}, "codes": {}}"#.write(to: noPupil, atomically: true, encoding: .utf8)
        let good = dir.appendingPathComponent("good.eaf")
        try Self.eaf(tiers: [("Amira", [(100, 900, "still")])]).write(to: good, atomically: true, encoding: .utf8)
        let unmapped = try evidence("import-annotations", good.path, "--asset", video, "--map", noPupil.path)
        #expect(unmapped.status == 2 && unmapped.stderr.contains("no pupil for subject/tier \"Amira\""))
        #expect(try moments(video).isEmpty)
    }

    /// Roster, consent-form, find, clip and export mistakes: exit 2, the file and line or the option named, nothing written.
    @Test func badRosterConsentFindAndRetrievalInputExitTwo() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, photo) = try prepare()
        let roster = dir.appendingPathComponent("no-names.csv")
        try "Forename,UPN\nAmira,Z123\n".write(to: roster, atomically: true, encoding: .utf8)
        let badRoster = try evidence("pupils", "import", roster.path)
        #expect(badRoster.status == 2 && badRoster.stderr.contains("line 1") && badRoster.stderr.contains("name column"), "\(badRoster.stderr)")
        let forms = dir.appendingPathComponent("forms.csv")
        try "pupil,purpose,decision\nleo-m,family-sharing,granted\namira-k,swimming,granted\n".write(to: forms, atomically: true, encoding: .utf8)
        let badForms = try evidence("consent", "import", forms.path)
        #expect(badForms.status == 2 && badForms.stderr.contains("line 3") && badForms.stderr.contains("purpose"), "\(badForms.stderr)")
        let history = try evidence("consent", "show", "leo-m", "--json").json([[String: Any]].self)
        #expect(!history.contains { $0["purpose"] as? String == "family-sharing" }, "a failed import wrote a row")
        let cases: [([String], String)] = [
            (["find", "--area", "explore"], "--area"),
            (["find", "--since", "autumn"], "--since"),
            (["find", "--pupil", "leo"], "matches several pupils"),
            (["find", "--asset-kind", "audio"], "--asset-kind"),
            (["clip", photo, "--from", "1", "--to", "2", "-o", dir.appendingPathComponent("x.mp4").path], "photo"),
            (["clip", video, "--from", "3", "--to", "9", "-o", dir.appendingPathComponent("x.mp4").path], "past the end"),
            (["export-annotations", video, "--format", "boris-csv"], "boris-tsv"),
        ]
        for (args, needle) in cases {
            let r = try evidence(arguments: args)
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(needle), "\(args): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.mp4").path))
        let actions = try evidence("audit", "--json").json([[String: Any]].self).compactMap { $0["action"] as? String }
        #expect(!actions.contains("export-annotations") && !actions.contains("clip"))
    }

    /// The tablet's two videos: 20260701_094500.mp4 (4 s) and 20260701_095000.mp4 (3 s, rotated).
    func tabletVideos() throws -> (String, String) {
        let videos = try assets().filter { $0["kind"] as? String == "video" }
        func id(_ name: String) throws -> String {
            try #require(videos.first { ($0["originalName"] as? String)?.hasSuffix(name) == true }?["id"] as? String)
        }
        return (try id("20260701_094500.mp4"), try id("20260701_095000.mp4"))
    }

    func writeMap() throws -> String {
        let map = dir.appendingPathComponent("map.json")
        try """
            {"subjects": {"Amira": "amira-k", "Leo": "leo-m"},
             "codes": {"still": {"areas": ["anticipation"], "responses": ["stilling"]},
                       "reach": {"areas": ["exploration"], "responses": ["reaching"], "prompt": "gestural"},
                       "vocal": {"areas": ["initiation"], "responses": ["vocalisation"]}},
             "ignore": ["Transcript"]}
            """.write(to: map, atomically: true, encoding: .utf8)
        return map.path
    }

    static func eaf(tiers: [(String, [(Int, Int, String)])], unalignedMiddle: Bool = false, timeOrigin: Int? = nil) -> String {
        var slots = "", body = "", n = 0
        for (tier, annotations) in tiers {
            body += "<TIER LINGUISTIC_TYPE_REF=\"default-lt\" TIER_ID=\"\(tier)\">\n"
            for (start, end, value) in annotations {
                n += 1
                slots += "<TIME_SLOT TIME_SLOT_ID=\"ts\(2 * n - 1)\" TIME_VALUE=\"\(start)\"/>\n<TIME_SLOT TIME_SLOT_ID=\"ts\(2 * n)\" TIME_VALUE=\"\(end)\"/>\n"
                body += "<ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID=\"a\(n)\" TIME_SLOT_REF1=\"ts\(2 * n - 1)\" TIME_SLOT_REF2=\"ts\(2 * n)\"><ANNOTATION_VALUE>\(value)</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>\n"
            }
            body += "</TIER>\n"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <ANNOTATION_DOCUMENT AUTHOR="" DATE="2026-07-02T10:00:00+01:00" FORMAT="2.8" VERSION="2.8">
            <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">\(timeOrigin.map { "<MEDIA_DESCRIPTOR MEDIA_URL=\"file:///media/lesson.mp4\" MIME_TYPE=\"video/mp4\" TIME_ORIGIN=\"\($0)\"/>" } ?? "")</HEADER>
            <TIME_ORDER>
            \(slots)</TIME_ORDER>
            \(body)<LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="default-lt" TIME_ALIGNABLE="true"/>
            </ANNOTATION_DOCUMENT>
            """
    }

    /// (tier, start, end, value) of every annotation in an .eaf, read with the XML parser independently of the product.
    static func annotations(inEAF text: String) throws -> Set<String> {
        final class Reader: NSObject, XMLParserDelegate {
            var slots: [String: String] = [:], tier = "", current: (String, String)?, value = "", inValue = false
            var found: Set<String> = []
            func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes a: [String: String]) {
                switch e {
                case "TIME_SLOT": slots[a["TIME_SLOT_ID"]!] = a["TIME_VALUE"]
                case "TIER": tier = a["TIER_ID"]!
                case "ALIGNABLE_ANNOTATION": current = (a["TIME_SLOT_REF1"]!, a["TIME_SLOT_REF2"]!)
                case "ANNOTATION_VALUE": inValue = true; value = ""
                default: break
                }
            }
            func parser(_ p: XMLParser, foundCharacters s: String) { if inValue { value += s } }
            func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
                if e == "ANNOTATION_VALUE" { inValue = false }
                if e == "ALIGNABLE_ANNOTATION", let (s, t) = current {
                    found.insert("\(tier)|\(slots[s] ?? "?")|\(slots[t] ?? "?")|\(value)")
                    current = nil
                }
            }
        }
        let reader = Reader()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = reader
        #expect(parser.parse())
        return reader.found
    }

    @Test func elanRoundTripKeepsEveryTimeAndValueAndReimportMakesNothing() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, _) = try prepare()
        let source = Self.eaf(tiers: [
            ("Amira", [(120, 1457, "still"), (1457, 3001, "exploration; reaching"), (3333, 3333, "reach")]),
            ("Leo", [(5, 3999, "anticipation; head-turn")]),
            ("Transcript", [(0, 100, "hello")]),
        ])
        let file = dir.appendingPathComponent("lesson.eaf")
        try source.write(to: file, atomically: true, encoding: .utf8)
        let map = try writeMap()
        let dry = try evidence("import-annotations", file.path, "--asset", video, "--map", map, "--dry-run", "--json").json()
        #expect(dry["created"] as? Int == 4 && dry["ignored"] as? Int == 1)
        #expect(try moments(video).isEmpty)
        let first = try evidence("import-annotations", file.path, "--asset", video, "--map", map, "--json")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try first.json()["created"] as? Int == 4)
        #expect(try evidence("import-annotations", file.path, "--asset", video, "--map", map, "--json").json()["created"] as? Int == 0)
        #expect(try observations(video).count == 4)
        let exported = try evidence("export-annotations", video, "--format", "eaf", "--media", "/tmp/clip.mp4")
        #expect(exported.status == 0)
        // The document comes back as it was imported, the ignored Transcript tier included (ELAN's structure kept).
        let expected = try Self.annotations(inEAF: source)
        #expect(try Self.annotations(inEAF: exported.text) == expected)
        // And the CSV export reads back to the same observations.
        let csv = dir.appendingPathComponent("export.csv")
        #expect(try evidence("export-annotations", video, "--format", "csv", "-o", csv.path).status == 0)
        let text = try String(contentsOf: csv, encoding: .utf8)
        #expect(text.contains("00:00.120,00:01.457,amira-k,anticipation,stilling"))
        #expect(try evidence("import-annotations", csv.path, "--asset", video, "--json").json()["created"] as? Int == 4)
    }

    /// Bad input to the progress model exits 2 naming what is wrong, and records nothing: a judgement resting on
    /// another pupil's observation or a period that is not one, an EHC report of a pupil with no outcomes, an
    /// observation from home in the future or at no real time, and second codings that are not independent.
    @Test func badProgressInputExitsTwoAndRecordsNothing() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, _) = try prepare()
        let tagged = try evidence("tag", video, "--from", "0.5", "--to", "1.5", "--pupil", "amira-k", "--area", "exploration", "--as", "ms-patel", "--json")
        let amiras = try #require(try tagged.json()["observation"] as? String)
        let leos = try #require(try evidence("tag", video, "--from", "2", "--to", "3", "--pupil", "leo-m", "--area", "initiation", "--json").json()["observation"] as? String)
        let before = try evidence("audit", "--json").json([[String: Any]].self).count
        let refusals: [([String], String)] = [
            (["judge", "amira-k", "--area", "anticipation", "--period", "autumn-2026", "--text", "t", "--evidence", leos], "is not evidence of amira-k"),
            (["judge", "amira-k", "--area", "anticipation", "--period", "autumn", "--text", "t"], "autumn"),
            (["judge", "amira-k", "--area", "anticipation", "--period", "autumn-2026", "--text", "  "], "narrative"),
            (["report", "ehc", "leo-m2", "--period", "year-2025", "--json"], "no EHC outcomes"),
            (["tag", "--source", "family", "--pupil", "amira-k", "--on", "2099-01-01", "--area", "initiation"], "has not happened yet"),
            (["tag", "--source", "family", "--pupil", "amira-k", "--on", "2026-10-01", "--at", "25:00", "--area", "initiation"], "not a time of day"),
            (["tag", video, "--from", "0.5", "--to", "1.5", "--pupil", "amira-k", "--area", "exploration", "--coder", "second", "--as", "ms-patel"], "coded moment"),
            (["tag", video, "--from", "3.2", "--to", "3.8", "--pupil", "amira-k", "--area", "exploration", "--coder", "second"], "no moment"),
        ]
        for (args, words) in refusals {
            let refused = try evidence(arguments: args)
            #expect(refused.status == 2 && refused.stderr.contains(words), "\(args): \(refused.stderr)")
        }
        #expect(try evidence("judgements", "amira-k", "--json").json([[String: Any]].self).isEmpty)
        let after = try evidence("audit", "--json").json([[String: Any]].self)
        #expect(after.filter { !["judgement-view", "find", "moments"].contains($0["action"] as? String ?? "") }.count == before, "nothing recorded")
        _ = amiras
    }

    /// ELAN's TIME_ORIGIN: the point of the media where the annotation timeline starts; moments land on the media's
    /// own clock, as ELAN plays them (not early by the offset).
    @Test func elanTimeOriginPlacesMomentsOnTheMedia() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, _) = try prepare()
        let file = dir.appendingPathComponent("offset.eaf")
        try Self.eaf(tiers: [("Amira", [(500, 900, "still")])], timeOrigin: 1000).write(to: file, atomically: true, encoding: .utf8)
        let imported = try evidence("import-annotations", file.path, "--asset", video, "--map", try writeMap())
        #expect(imported.status == 0, "\(imported.stderr)")
        let placed = try observations(video).map { "\($0["startMs"]!)-\($0["endMs"]!)" }
        #expect(placed == ["1500-1900"], "\(placed)")
    }

    /// An EAF 3.0 as ELAN writes one: a parent tier, a Time_Subdivision tier whose inner boundaries are unaligned
    /// (with another tier's aligned slot between them in TIME_ORDER), a Symbolic_Subdivision chain three deep, a
    /// controlled vocabulary with CVE_REF, participants and a TIME_ORIGIN. Times must be what ELAN shows.
    static let elanSubdivisions = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ANNOTATION_DOCUMENT AUTHOR="" DATE="2026-07-02T10:00:00+01:00" FORMAT="3.0" VERSION="3.0"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">
        <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">
            <MEDIA_DESCRIPTOR MEDIA_URL="file:///media/lesson.mp4" MIME_TYPE="video/mp4" RELATIVE_MEDIA_URL="./lesson.mp4" TIME_ORIGIN="100"/>
            <PROPERTY NAME="lastUsedAnnotationId">12</PROPERTY>
        </HEADER>
        <TIME_ORDER>
            <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="0"/>
            <TIME_SLOT TIME_SLOT_ID="ts5" TIME_VALUE="225"/>
            <TIME_SLOT TIME_SLOT_ID="ts2"/>
            <TIME_SLOT TIME_SLOT_ID="ts6" TIME_VALUE="400"/>
            <TIME_SLOT TIME_SLOT_ID="ts3"/>
            <TIME_SLOT TIME_SLOT_ID="ts4" TIME_VALUE="1000"/>
            <TIME_SLOT TIME_SLOT_ID="ts7" TIME_VALUE="1200"/>
            <TIME_SLOT TIME_SLOT_ID="ts8"/>
            <TIME_SLOT TIME_SLOT_ID="ts9" TIME_VALUE="1800"/>
        </TIME_ORDER>
        <TIER LINGUISTIC_TYPE_REF="phase" PARTICIPANT="Amira" ANNOTATOR="PP" TIER_ID="Lesson">
            <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts4"><ANNOTATION_VALUE>story</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
            <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a8" TIME_SLOT_REF1="ts7" TIME_SLOT_REF2="ts9"><ANNOTATION_VALUE>song</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
        </TIER>
        <TIER LINGUISTIC_TYPE_REF="steps" PARENT_REF="Lesson" PARTICIPANT="Amira" TIER_ID="Amira">
            <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2" CVE_REF="cve1"><ANNOTATION_VALUE>still</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
            <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a3" TIME_SLOT_REF1="ts2" TIME_SLOT_REF2="ts3" CVE_REF="cve2"><ANNOTATION_VALUE>reach</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
            <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a4" TIME_SLOT_REF1="ts3" TIME_SLOT_REF2="ts4"><ANNOTATION_VALUE>vocal</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
            <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a9" TIME_SLOT_REF1="ts7" TIME_SLOT_REF2="ts8"><ANNOTATION_VALUE>reach</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
            <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a10" TIME_SLOT_REF1="ts8" TIME_SLOT_REF2="ts9"><ANNOTATION_VALUE>still</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
        </TIER>
        <TIER LINGUISTIC_TYPE_REF="default-lt" PARTICIPANT="Leo" TIER_ID="Leo">
            <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a5" TIME_SLOT_REF1="ts5" TIME_SLOT_REF2="ts6"><ANNOTATION_VALUE>vocal</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
        </TIER>
        <TIER LINGUISTIC_TYPE_REF="words" PARENT_REF="Amira" TIER_ID="Transcript">
            <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a6" ANNOTATION_REF="a3"><ANNOTATION_VALUE>ooh</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
            <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a7" ANNOTATION_REF="a6" PREVIOUS_ANNOTATION=""><ANNOTATION_VALUE>ah</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
            <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a11" ANNOTATION_REF="a7"><ANNOTATION_VALUE>oh</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
        </TIER>
        <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="phase" TIME_ALIGNABLE="true"/>
        <LINGUISTIC_TYPE CONSTRAINTS="Time_Subdivision" CONTROLLED_VOCABULARY_REF="acts" GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="steps" TIME_ALIGNABLE="true"/>
        <LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Subdivision" GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="words" TIME_ALIGNABLE="false"/>
        <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="default-lt" TIME_ALIGNABLE="true"/>
        <CONSTRAINT DESCRIPTION="Time subdivision of parent annotation's time interval, no time gaps allowed within this interval" STEREOTYPE="Time_Subdivision"/>
        <CONSTRAINT DESCRIPTION="Symbolic subdivision of a parent annotation. Annotations refering to the same parent are ordered" STEREOTYPE="Symbolic_Subdivision"/>
        <CONTROLLED_VOCABULARY CV_ID="acts">
            <DESCRIPTION LANG_REF="eng"/>
            <CV_ENTRY_ML CVE_ID="cve1"><CVE_VALUE DESCRIPTION="stills" LANG_REF="eng">still</CVE_VALUE></CV_ENTRY_ML>
            <CV_ENTRY_ML CVE_ID="cve2"><CVE_VALUE DESCRIPTION="reaches" LANG_REF="eng">reach</CVE_VALUE></CV_ENTRY_ML>
        </CONTROLLED_VOCABULARY>
        <LANGUAGE LANG_DEF="http://cdb.iso.org/lg/CDB-00138502-001" LANG_ID="eng" LANG_LABEL="English (eng)"/>
        </ANNOTATION_DOCUMENT>
        """

    /// ELAN shows a Time_Subdivision's unaligned boundaries evenly within the parent's interval on that tier: here
    /// [0, 333], [333, 666], [666, 1000] and [1200, 1500], [1500, 1800] (plus the TIME_ORIGIN of 100 ms), whatever
    /// other tiers' slots lie between them in TIME_ORDER; a Symbolic_Subdivision three deep takes its top's times.
    @Test func elanUnalignedSlotsAreWhereElanShowsThem() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, _) = try prepare()
        let file = dir.appendingPathComponent("subdivided.eaf")
        try Self.elanSubdivisions.write(to: file, atomically: true, encoding: .utf8)
        let map = dir.appendingPathComponent("subdivided-map.json")
        try """
            {"subjects": {"Amira": "amira-k", "Leo": "leo-m"}, "ignore": ["Lesson", "Transcript"],
             "codes": {"still": {"areas": ["anticipation"], "responses": ["stilling"]},
                       "reach": {"areas": ["exploration"], "responses": ["reaching"]},
                       "vocal": {"areas": ["initiation"], "responses": ["vocalisation"]}}}
            """.write(to: map, atomically: true, encoding: .utf8)
        let imported = try evidence("import-annotations", file.path, "--asset", video, "--map", map.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        let placed = Set(try observations(video).map { "\($0["pupil"]!) \($0["startMs"]!)-\($0["endMs"]!)" })
        #expect(
            placed == ["amira-k 100-433", "amira-k 433-766", "amira-k 766-1100", "amira-k 1300-1600", "amira-k 1600-1900", "leo-m 325-500"],
            "\(placed.sorted())")
        // The three-deep symbolic chain resolves to its top (a3: 333–666, plus the origin).
        let transcript = dir.appendingPathComponent("transcript-map.json")
        try """
            {"subjects": {"Transcript": "amira-k"}, "ignore": ["Lesson", "Amira", "Leo"],
             "codes": {"ooh": {"areas": ["realisation"]}, "ah": {"areas": ["realisation"]}, "oh": {"areas": ["realisation"]}}}
            """.write(to: transcript, atomically: true, encoding: .utf8)
        let dry = try evidence("import-annotations", file.path, "--asset", video, "--map", transcript.path, "--dry-run", "--json")
        #expect(dry.status == 0, "\(dry.stderr)")
        let preview = try dry.json()["preview"] as? [String] ?? []
        #expect(preview.count == 3 && preview.allSatisfy { $0.contains("00:00.433–00:00.766") }, "\(preview)")
    }

    /// An ELAN user's file comes back as ELAN would open it: the export of an imported EAF 3.0 equals the source
    /// tier by tier as pympi-ling reads it (hierarchy, types, CV, participants, unaligned slots, references); an
    /// untagged observation's annotation goes with those that depend on it, a new one is added on its own tier; and
    /// every export is well-formed to xmllint.
    @Test func elanExportsKeepTheImportedDocumentsStructure() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, _) = try prepare()
        let file = dir.appendingPathComponent("subdivided.eaf")
        try Self.elanSubdivisions.write(to: file, atomically: true, encoding: .utf8)
        let map = dir.appendingPathComponent("map-all.json")
        try """
            {"subjects": {"Amira": "amira-k", "Leo": "leo-m", "Transcript": "amira-k"}, "ignore": ["Lesson"],
             "codes": {"still": {"areas": ["anticipation"]}, "reach": {"areas": ["exploration"]}, "vocal": {"areas": ["initiation"]},
                       "ooh": {"areas": ["realisation"]}, "ah": {"areas": ["realisation"]}, "oh": {"areas": ["realisation"]}}}
            """.write(to: map, atomically: true, encoding: .utf8)
        let imported = try evidence("import-annotations", file.path, "--asset", video, "--map", map.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        func structure(_ path: String) throws -> [String: Any] {
            let out = try ReportTests.python([Self.root.appendingPathComponent("Tests/Browser/eaf_structure.py").path, path])
            return try #require(try JSONSerialization.jsonObject(with: out) as? [String: Any])
        }
        func xmllint(_ path: String) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
            process.arguments = ["--noout", path]
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        let source = try structure(file.path)
        let exported = dir.appendingPathComponent("out.eaf")
        #expect(try evidence("export-annotations", video, "--format", "eaf", "-o", exported.path).status == 0)
        #expect(try xmllint(exported.path) == 0)
        let same = try structure(exported.path)
        #expect(NSDictionary(dictionary: same).isEqual(to: source), "tier by tier, as pympi-ling reads them")

        // Untag the reach on Amira (a3): it goes, with the three-deep transcript chain that refers to it; a new tag
        // comes on a tier of its own.
        let reach = try #require(try observations(video).first { $0["pupil"] as? String == "amira-k" && $0["startMs"] as? Int == 433 && ($0["areas"] as? [String]) == ["exploration"] }?["id"] as? String)
        #expect(try evidence("untag", reach).status == 0)
        #expect(try evidence("tag", video, "--from", "2", "--to", "3", "--pupil", "leo-m", "--area", "initiation").status == 0)
        let changed = dir.appendingPathComponent("changed.eaf")
        #expect(try evidence("export-annotations", video, "--format", "eaf", "-o", changed.path).status == 0)
        #expect(try xmllint(changed.path) == 0)
        let after = try structure(changed.path)
        let tiers = try #require(after["tiers"] as? [String: [String: Any]])
        let sourceTiers = try #require(source["tiers"] as? [String: [String: Any]])
        let amira = (tiers["Amira"]?["aligned"] as? [[Any]] ?? []).compactMap { $0.first as? String }
        #expect(amira == ["a10", "a2", "a4", "a9"], "\(amira)")
        #expect((tiers["Transcript"]?["refs"] as? [Any])?.isEmpty == true, "the chain referring to a3 went with it")
        #expect(NSDictionary(dictionary: tiers["Lesson"] ?? [:]).isEqual(to: sourceTiers["Lesson"] ?? [:]))
        #expect(NSDictionary(dictionary: tiers["Leo"] ?? [:]).isEqual(to: sourceTiers["Leo"] ?? [:]))
        let added = try #require(tiers["leo-m"]?["aligned"] as? [[Any]])
        #expect(added.count == 1 && added[0][1] as? Int == 1900 && added[0][2] as? Int == 2900, "on the document's timeline (less its origin)")
        #expect(NSDictionary(dictionary: after["controlledVocabularies"] as? [String: Any] ?? [:]).isEqual(to: source["controlledVocabularies"] as? [String: Any] ?? [:]))
    }

    /// `--suggest-map`: tiers matched to the roster by name (an ambiguous one left out), values to the vocabulary;
    /// the suggestion imports as it is. `otherValues` skips or keeps unlisted values as notes.
    @Test func suggestedMappingsImportAndOtherValuesAreSkippedOrKeptAsNotes() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, _) = try prepare()
        let file = dir.appendingPathComponent("subdivided.eaf")
        try Self.elanSubdivisions.write(to: file, atomically: true, encoding: .utf8)
        let suggested = try evidence("import-annotations", file.path, "--suggest-map")
        #expect(suggested.status == 0, "\(suggested.stderr)")
        let map = try suggested.json()
        #expect(map["subjects"] as? [String: String] == ["Amira": "amira-k"], "Leo is two pupils here (Leo Morgan, Leona \"Leo\" Marsh)")
        #expect(map["ignore"] as? [String] == ["Leo", "Lesson", "Transcript"])
        let codes = try #require(map["codes"] as? [String: [String: [String]]])
        #expect(codes["reach"]?["responses"] == ["reaching"] && codes["still"]?["responses"] == ["stilling"])
        #expect(codes["vocal"]?["responses"] == ["vocalisation"])
        #expect(try evidence("moments", video, "--json").json([[String: Any]].self).isEmpty, "suggesting writes nothing")
        let mapFile = dir.appendingPathComponent("suggested.json")
        try suggested.stdout.write(to: mapFile)
        let imported = try evidence("import-annotations", file.path, "--asset", video, "--map", mapFile.path, "--json")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try imported.json()["created"] as? Int == 5)

        // "skip": only listed values become observations.
        let skipping = dir.appendingPathComponent("skip.json")
        try """
            {"subjects": {"Transcript": "amira-k"}, "ignore": ["Lesson", "Amira", "Leo"], "otherValues": "skip",
             "codes": {"ooh": {"areas": ["realisation"], "responses": ["vocalisation"]}}}
            """.write(to: skipping, atomically: true, encoding: .utf8)
        let skipped = try evidence("import-annotations", file.path, "--asset", video, "--map", skipping.path, "--json", "--dry-run")
        #expect(skipped.status == 0, "\(skipped.stderr)")
        #expect(try skipped.json()["created"] as? Int == 1)
        // "note": the value is the note; the fields come from "*"; without "*" it is refused, naming what to add.
        let noting = dir.appendingPathComponent("note.json")
        try """
            {"subjects": {"Transcript": "amira-k"}, "ignore": ["Lesson", "Amira", "Leo"], "otherValues": "note",
             "codes": {"*": {"areas": ["realisation"]}}}
            """.write(to: noting, atomically: true, encoding: .utf8)
        let noted = try evidence("import-annotations", file.path, "--asset", video, "--map", noting.path)
        #expect(noted.status == 0, "\(noted.stderr)")
        let notes = try observations(video).compactMap { $0["note"] as? String }
        #expect(Set(notes) == ["ooh", "ah", "oh"], "\(notes)")
        try """
            {"subjects": {"Transcript": "amira-k"}, "ignore": ["Lesson", "Amira", "Leo"], "otherValues": "note", "codes": {}}
            """.write(to: noting, atomically: true, encoding: .utf8)
        let refused = try evidence("import-annotations", file.path, "--asset", video, "--map", noting.path)
        #expect(refused.status == 2 && refused.stderr.contains("\"*\""), "\(refused.stderr)")
    }

    /// A BORIS 7.0 project as BORIS writes it: the ethogram under behaviors_conf, modifiers, a two-file playlist
    /// on player 1 with a positive time offset, and a second observation with a negative one. Each event lands on
    /// its own file at the exact millisecond (one crossing the boundary is split), and `.boris.gz` opens too.
    @Test func borisPlaylistsAndOffsetsPlaceEveryEventOnItsOwnFile() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try prepare()
        let (first, second) = try tabletVideos()
        let project = """
            {"project_format_version": "7.0", "project_name": "lessons", "time_format": "hh:mm:ss",
             "behaviors_conf": {
               "0": {"type": "Point event", "key": "v", "code": "vocal", "description": "", "category": "voice", "modifiers": {}, "excluded": "", "coding map": ""},
               "1": {"type": "State event", "key": "r", "code": "reach", "description": "", "category": "", "excluded": "", "coding map": "",
                     "modifiers": {"0": {"name": "hand", "type": 0, "values": ["left hand", "right hand"]}}}},
             "subjects_conf": {"0": {"key": "a", "name": "Amira", "description": ""}},
             "observations": {
               "lesson": {"type": "MEDIA", "date": "2026-07-01T09:45:00", "description": "", "time offset": 2.0,
                 "file": {"1": ["/media/20260701_094500.mp4", "/media/20260701_095000.mp4"], "2": []},
                 "media_info": {"length": {"/media/20260701_094500.mp4": 4.0, "/media/20260701_095000.mp4": 3.0},
                                "fps": {"/media/20260701_094500.mp4": 25.0, "/media/20260701_095000.mp4": 25.0}, "offset": {"1": 0.0}},
                 "independent_variables": {"group": "Oak"},
                 "events": [[2.5, "Amira", "vocal", "", ""], [4.0, "Amira", "reach", "left hand", ""],
                            [6.0, "Amira", "reach", "right hand", ""], [6.5, "Amira", "reach", "right hand", ""],
                            [7.5, "Amira", "reach", "left hand", ""], [8.0, "Amira", "vocal", "", ""]]},
               "negative": {"type": "MEDIA", "date": "2026-07-01T09:45:00", "description": "", "time offset": -1.5,
                 "file": {"1": ["/media/20260701_094500.mp4"], "2": []},
                 "media_info": {"length": {"/media/20260701_094500.mp4": 4.0}, "offset": {"1": 0.0}},
                 "events": [[-0.8, "Amira", "vocal", "", ""], [0.5, "Amira", "reach", "left hand", ""], [1.5, "Amira", "reach", "left hand", ""]]},
               "renamed": {"type": "MEDIA", "date": "2026-07-01T09:45:00", "description": "", "time offset": 0.0,
                 "file": {"1": ["/copies/part1.mp4", "/copies/part2.mp4"], "2": []},
                 "media_info": {"length": {"/copies/part1.mp4": 4.0, "/copies/part2.mp4": 3.0}, "offset": {"1": 0.0}},
                 "events": [[3.3, "Amira", "vocal", "", ""], [6.6, "Amira", "vocal", "", ""]]}}}
            """
        let file = dir.appendingPathComponent("lessons.boris")
        try project.write(to: file, atomically: true, encoding: .utf8)
        let map = try writeMap()
        // A playlist of two files cannot go onto one video.
        let onOne = try evidence("import-annotations", file.path, "--observation", "lesson", "--asset", first, "--map", map)
        #expect(onOne.status == 2 && onOne.stderr.contains("one after another"), "\(onOne.stderr)")
        for observation in ["lesson", "negative"] {
            let imported = try evidence("import-annotations", file.path, "--observation", observation, "--map", map)
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        for bad in ["=\(first)", "part1.mp4=zz", "\(first)"] {
            let refused = try evidence(
                "import-annotations", file.path, "--observation", "renamed", "--map", map, "--asset", bad, "--asset", first)
            #expect(refused.status == 2, "--asset \(bad): \(refused.stderr)")
        }
        // Files renamed since: refused by name, placed with FILE=ID.
        let unnamed = try evidence("import-annotations", file.path, "--observation", "renamed", "--map", map)
        #expect(unnamed.status == 2 && unnamed.stderr.contains("FILE=ID"), "\(unnamed.stderr)")
        let renamed = try evidence(
            "import-annotations", file.path, "--observation", "renamed", "--map", map, "--asset", "part1.mp4=\(first)",
            "--asset", "PART2.mp4=\(second)")
        #expect(renamed.status == 0, "\(renamed.stderr)")
        let onSecond = Set(try observations(second).map { "\($0["startMs"]!)-\($0["endMs"]!)" })
        let firstRanges = Set(try observations(first).map { "\($0["startMs"]!)-\($0["endMs"]!)" })
        #expect(firstRanges == ["500-500", "2000-4000", "700-700", "2000-3000", "3300-3300"], "\(firstRanges.sorted())")
        #expect(onSecond == ["0-1500", "0-500", "2000-2000", "2600-2600"], "\(onSecond.sorted())")

        // gzip: the same project compressed opens the same way; a cut-short one is refused, saying so.
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-k", "-f", file.path]
        try gzip.run()
        gzip.waitUntilExit()
        let compressed = dir.appendingPathComponent("lessons.boris.gz")
        let dry = try evidence("import-annotations", compressed.path, "--observation", "lesson", "--map", map, "--dry-run", "--json")
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(try dry.json()["alreadyImported"] as? Int == 5, "the same five parts, already imported")
        let bytes = try Data(contentsOf: compressed)
        try bytes.prefix(bytes.count / 2).write(to: compressed)
        let cut = try evidence("import-annotations", compressed.path, "--observation", "lesson", "--map", map)
        #expect(cut.status == 2 && cut.stderr.contains("cut short"), "\(cut.stderr)")
    }

    /// A BORIS aggregated export of a two-file playlist: BORIS 8 writes times on the playlist's timeline, earlier
    /// versions on each file's own; both land on the right file at the right time.
    @Test func borisTabularPlaylistsLandOnEachFileWhicheverTimelineTheirVersionWrote() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try prepare()
        let (first, second) = try tabletVideos()
        func export(_ rows: [(String, String, Double, Double, String)]) -> String {
            let header = [
                "Observation id", "Observation date", "Description", "Observation type", "Media file", "Time offset (s)",
                "Coding duration", "Media duration (s)", "FPS", "Subject", "Observation duration by subject by observation",
                "Behavior", "Behavioral category", "Behavior type", "Start (s)", "Stop (s)", "Duration (s)", "Media file name",
                "Image index start", "Image index stop", "Image file path start", "Image file path stop", "Comment start", "Comment stop",
            ]
            let playlist = "player #1:/media/20260701_094500.mp4;/media/20260701_095000.mp4"
            let lines = rows.map { code, type, start, stop, media in
                [
                    "lesson", "2026-07-01 09:45:00", "", "Media file", playlist, "0.0", "7.000", "4.000;3.000", "25.000;25.000", "Amira",
                    "3.5", code, "Not defined", type, String(format: "%.3f", start), type == "POINT" ? "NA" : String(format: "%.3f", stop),
                    type == "POINT" ? "NA" : String(format: "%.3f", stop - start), "/media/\(media)", "NA", "NA", "NA", "NA", "", "",
                ].joined(separator: "\t")
            }
            return ([header.joined(separator: "\t")] + lines).joined(separator: "\n") + "\n"
        }
        let playlistTimeline = dir.appendingPathComponent("boris8.tsv")
        try export([
            ("reach", "STATE", 1.0, 2.0, "20260701_094500.mp4"), ("vocal", "POINT", 5.0, 5.0, "20260701_095000.mp4"),
            ("reach", "STATE", 4.5, 6.0, "20260701_095000.mp4"),
        ]).write(to: playlistTimeline, atomically: true, encoding: .utf8)
        let fileTimeline = dir.appendingPathComponent("boris7.tsv")
        try export([
            ("reach", "STATE", 1.0, 2.0, "20260701_094500.mp4"), ("vocal", "POINT", 1.0, 1.0, "20260701_095000.mp4"),
            ("reach", "STATE", 0.5, 2.0, "20260701_095000.mp4"),
        ]).write(to: fileTimeline, atomically: true, encoding: .utf8)
        let map = try writeMap()
        let imported = try evidence("import-annotations", playlistTimeline.path, "--map", map)
        #expect(imported.status == 0, "\(imported.stderr)")
        let onFirst = Set(try observations(first).map { "\($0["startMs"]!)-\($0["endMs"]!)" })
        let onSecond = Set(try observations(second).map { "\($0["startMs"]!)-\($0["endMs"]!)" })
        #expect(onFirst == ["1000-2000"] && onSecond == ["1000-1000", "500-2000"], "\(onFirst) \(onSecond)")
        let same = try evidence("import-annotations", fileTimeline.path, "--map", map, "--dry-run", "--json")
        #expect(same.status == 0, "\(same.stderr)")
        #expect(try same.json()["alreadyImported"] as? Int == 3, "the per-file times are the same events")
    }

    /// BORIS 7 wrote a grouped aggregated export without its header row (`export_aggregated_events` of 7.x): it is
    /// recognised by its layout, whatever the number of independent variables, and a playlist in it is refused.
    @Test func borisSevenHeaderlessAggregatedExportsAreRecognised() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try prepare()
        let (first, second) = try tabletVideos()
        func row(_ media: String, _ variables: [String], _ code: String, _ type: String, _ start: Double, _ stop: Double, _ comment: String = "") -> [String] {
            ["lesson", "2026-07-01 09:45:00", "/media/\(media)", "7.000", "25.0"] + variables + [
                "Amira", code, "", type, String(format: "%.3f", start), String(format: "%.3f", stop),
                type == "POINT" ? "NA" : String(format: "%.3f", stop - start), comment, "",
            ]
        }
        let map = try writeMap()
        // Two independent variables, tab-separated.
        let tsv = dir.appendingPathComponent("aggregated.tsv")
        try [
            row("20260701_094500.mp4", ["Oak", "2"], "reach", "STATE", 1.0, 2.5, "reached for the drum"),
            row("20260701_094500.mp4", ["Oak", "2"], "vocal", "POINT", 3.0, 3.0),
        ].map { $0.joined(separator: "\t") }.joined(separator: "\n").write(to: tsv, atomically: true, encoding: .utf8)
        let imported = try evidence("import-annotations", tsv.path, "--map", map, "--json")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try imported.json()["format"] as? String == "boris-csv", "\(imported.text)")
        let placed = try observations(first)
        #expect(Set(placed.map { "\($0["startMs"]!)-\($0["endMs"]!)" }) == ["1000-2500", "3000-3000"], "\(placed)")
        #expect(placed.contains { $0["note"] as? String == "reached for the drum" }, "the comment is the note")

        // No independent variables, comma-separated, onto the other video.
        let csv = dir.appendingPathComponent("aggregated.csv")
        try [row("20260701_095000.mp4", [], "vocal", "POINT", 0.5, 0.5)].map { $0.joined(separator: ",") }.joined(separator: "\n")
            .write(to: csv, atomically: true, encoding: .utf8)
        #expect(try evidence("import-annotations", csv.path, "--map", map).status == 0)
        #expect(try observations(second).map { "\($0["startMs"]!)-\($0["endMs"]!)" } == ["500-500"])

        // A two-file playlist: its rows cannot be placed without the files' lengths, so it is refused, saying why.
        let playlist = dir.appendingPathComponent("playlist.tsv")
        try [row("20260701_094500.mp4", [], "reach", "STATE", 1.0, 2.0), row("20260701_095000.mp4", [], "vocal", "POINT", 5.0, 5.0)]
            .map { $0.joined(separator: "\t") }.joined(separator: "\n").write(to: playlist, atomically: true, encoding: .utf8)
        let refused = try evidence("import-annotations", playlist.path, "--map", map)
        #expect(refused.status == 2 && refused.stderr.contains("plays 2 files") && refused.stderr.contains(".boris"), "\(refused.stderr)")

        // A row of another width among them: refused, naming its line, and nothing imported.
        let ragged = dir.appendingPathComponent("ragged.tsv")
        try [row("20260701_095000.mp4", [], "vocal", "POINT", 1.5, 1.5), row("20260701_095000.mp4", ["Oak"], "vocal", "POINT", 2.5, 2.5)]
            .map { $0.joined(separator: "\t") }.joined(separator: "\n").write(to: ragged, atomically: true, encoding: .utf8)
        let uneven = try evidence("import-annotations", ragged.path, "--map", map)
        #expect(uneven.status == 2 && uneven.stderr.contains("line 2") && uneven.stderr.contains("15 columns"), "\(uneven.stderr)")
        #expect(try observations(second).count == 1, "nothing of the ragged file was imported")
    }

    /// `export-annotations --format boris` writes a 7.0 project (points and states from the codes, modifiers
    /// kept) that imports onto another video as the same observations; `boris-tsv` reads back the same way.
    @Test func borisExportsReimportIdentically() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try prepare()
        let (source, target) = try tabletVideos()
        let project = dir.appendingPathComponent("in.boris")
        try """
            {"project_format_version": "7.0", "behaviors_conf": {
               "0": {"type": "Point event", "code": "vocal", "key": "v", "category": "voice", "modifiers": {}},
               "1": {"type": "State event", "code": "reach", "key": "r", "modifiers": {"0": {"name": "hand", "values": ["left hand"]}}}},
             "observations": {"one": {"type": "MEDIA", "time offset": 0.0, "file": {"1": ["/media/20260701_094500.mp4"]},
               "independent_variables": {"group": "Oak", "session": "2"},
               "events": [[0.5, "Amira", "vocal", "", ""], [1.0, "Amira", "reach", "left hand", ""], [2.0, "Amira", "reach", "left hand", ""]]}}}
            """.write(to: project, atomically: true, encoding: .utf8)
        let map = try writeMap()
        #expect(try evidence("import-annotations", project.path, "--asset", source, "--map", map).status == 0)
        #expect(try evidence("tag", source, "--from", "2.2", "--to", "2.8", "--pupil", "amira-k", "--area", "persistence", "--response", "smiling").status == 0)

        let exported = dir.appendingPathComponent("out.boris")
        let export = try evidence("export-annotations", source, "--format", "boris", "-o", exported.path)
        #expect(export.status == 0, "\(export.stderr)")
        let written = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: exported)) as? [String: Any])
        #expect(written["project_format_version"] as? String == "7.0")
        let ethogram = try #require(written["behaviors_conf"] as? [String: [String: Any]])
        let types = Dictionary(uniqueKeysWithValues: ethogram.values.map { ($0["code"] as? String ?? "", $0["type"] as? String ?? "") })
        #expect(types["vocal"] == "Point event" && types["reach"] == "State event", "\(types)")
        let categories = Dictionary(uniqueKeysWithValues: ethogram.values.map { ($0["code"] as? String ?? "", $0["category"] as? String ?? "") })
        #expect(categories["vocal"] == "voice", "the behaviour's category is kept with the source record: \(categories)")
        let observation = try #require((written["observations"] as? [String: [String: Any]])?.values.first)
        let events = try #require(observation["events"] as? [[Any]])
        #expect(observation["independent_variables"] as? [String: String] == ["group": "Oak", "session": "2"], "independent variables kept")
        #expect(events.filter { $0[2] as? String == "reach" }.allSatisfy { $0[3] as? String == "left hand" }, "modifiers kept")
        #expect(events.count == 5, "a point, a state's start and stop, and the tagged moment's start and stop")

        let exportMap = dir.appendingPathComponent("export-map.json")
        try """
            {"subjects": {"Amira": "amira-k", "amira-k": "amira-k"},
             "codes": {"vocal": {"areas": ["initiation"], "responses": ["vocalisation"]}, "reach": {"areas": ["exploration"], "responses": ["reaching"], "prompt": "gestural"}}}
            """.write(to: exportMap, atomically: true, encoding: .utf8)
        let reimported = try evidence("import-annotations", exported.path, "--asset", target, "--map", exportMap.path)
        #expect(reimported.status == 0, "\(reimported.stderr)")
        func summary(_ asset: String) throws -> Set<String> {
            Set(try observations(asset).map { o in
                "\(o["pupil"]!) \(o["startMs"]!)-\(o["endMs"]!) \((o["areas"] as? [String] ?? []).joined(separator: ",")) \((o["responses"] as? [String] ?? []).joined(separator: ","))"
            })
        }
        let (copied, original) = (try summary(target), try summary(source))
        #expect(copied == original, "\(copied.sorted()) vs \(original.sorted())")

        let table = dir.appendingPathComponent("out.tsv")
        #expect(try evidence("export-annotations", source, "--format", "boris-tsv", "-o", table.path).status == 0)
        let again = try evidence("import-annotations", table.path, "--asset", target, "--map", exportMap.path, "--json")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try again.json()["alreadyImported"] as? Int == 3, "the tabular export is the same three events")
    }

    @Test func borisTableAndProjectImportPairStartsAndStopsAndKeepPoints() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, _) = try prepare()
        let map = try writeMap()
        let table = dir.appendingPathComponent("events.csv")
        try """
            Observation id,lesson 1
            Observation date,2026-07-01 09:45:00
            Description,
            Time offset (s),0.000

            Media file(s)

            Player #1,/media/lesson.mp4

            Observation duration,4.000
            FPS,25.000

            Time,Media file path,Total length,FPS,Subject,Behavior,Behavioral category,Comment,Status
            0.500,/media/lesson.mp4,4.000,25.000,Amira,reach,,,START
            1.000,/media/lesson.mp4,4.000,25.000,Leo,vocal,,"first sound, loud",POINT
            1.250,/media/lesson.mp4,4.000,25.000,Amira,reach,,,STOP
            2.040,/media/lesson.mp4,4.000,25.000,Amira,still,,,START
            3.960,/media/lesson.mp4,4.000,25.000,Amira,still,,,STOP

            """.write(to: table, atomically: true, encoding: .utf8)
        let imported = try evidence("import-annotations", table.path, "--asset", video, "--map", map, "--json")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try imported.json()["format"] as? String == "boris-csv")
        let rows = Set(try observations(video).map { "\($0["pupil"]!)|\($0["startMs"]!)|\($0["endMs"]!)|\(($0["responses"] as? [String] ?? []).joined())" })
        #expect(rows == ["amira-k|500|1250|reaching", "leo-m|1000|1000|vocalisation", "amira-k|2040|3960|stilling"])
        #expect(try observations(video).contains { $0["note"] as? String == "first sound, loud" })

        let project = dir.appendingPathComponent("lesson.boris")
        try """
            {"project_format_version": "7.0", "project_name": "lessons",
             "behaviors_conf": {"0": {"type": "State event", "key": "r", "code": "reach", "description": "", "modifiers": "",
                                      "category": "", "excluded": "", "coding map": ""},
                                "1": {"type": "Point event", "key": "v", "code": "vocal", "description": "", "modifiers": "",
                                      "category": "", "excluded": "", "coding map": ""}},
             "subjects_conf": {"0": {"key": "1", "name": "Amira"}, "1": {"key": "2", "name": "Leo"}},
             "observations": {"lesson 2": {"file": {"1": ["/media/lesson.mp4"], "2": []}, "type": "MEDIA",
                "date": "2026-07-01T09:45:00", "description": "", "time offset": 0.0,
                "events": [[0.2, "Amira", "reach", "", ""], [0.3, "Leo", "vocal", "", ""], [0.9, "Leo", "reach", "", ""],
                           [1.1, "Amira", "reach", "", ""], [1.7, "Leo", "reach", "", ""]],
                "media_info": {"length": {"/media/lesson.mp4": 4.0}, "fps": {"/media/lesson.mp4": 25.0}, "offset": {"1": 0.0}}}}}
            """.write(to: project, atomically: true, encoding: .utf8)
        let second = try evidence("import-annotations", project.path, "--asset", video, "--map", map, "--json")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try second.json()["created"] as? Int == 3)
        let all = Set(try observations(video).map { "\($0["pupil"]!)|\($0["startMs"]!)|\($0["endMs"]!)" })
        #expect(all.isSuperset(of: ["amira-k|200|1100", "leo-m|300|300", "leo-m|900|1700"]), "points and states from behaviors_conf")
        // A stop before its start, and a state that never stops: exit 2, naming the right event, nothing written.
        let before = try observations(video).count
        for (events, expected) in [
            (#"[[1.5, "Amira", "reach", "", ""], [0.9, "Amira", "reach", "", ""]]"#, "event 2 (Amira, reach, at 0.9 s): the state event stops before it starts (event 1)"),
            (#"[[0.3, "Leo", "vocal", "", ""], [0.6, "Amira", "reach", "", ""]]"#, "event 2 (Amira, reach, at 0.6 s): a state event starts but never stops"),
        ] {
            let bad = dir.appendingPathComponent("bad.boris")
            try String(try String(contentsOf: project, encoding: .utf8).replacing(/"events": \[[\s\S]*?\]\],/, with: "\"events\": \(events),"))
                .write(to: bad, atomically: true, encoding: .utf8)
            let refused = try evidence("import-annotations", bad.path, "--asset", video, "--map", map)
            #expect(refused.status == 2 && refused.stderr.contains(expected), "\(refused.stderr)")
        }
        #expect(try observations(video).count == before, "nothing written")
        // A project cut short says where its JSON breaks.
        let cut = dir.appendingPathComponent("cut.boris")
        try String(try String(contentsOf: project, encoding: .utf8).prefix(300)).write(to: cut, atomically: true, encoding: .utf8)
        let broken = try evidence("import-annotations", cut.path, "--asset", video, "--map", map)
        #expect(broken.status == 2 && broken.stderr.contains("cut.boris, line 4, column") && broken.stderr.contains("cut short"), "\(broken.stderr)")
    }

    @Test func namesUPNBirthDatesAndNotesAreNeverStoredInPlaintext() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, _) = try prepare()
        let note = "NOTEMARK\(UInt32.random(in: 100_000...999_999)) reached for the drum"
        #expect(try evidence("tag", video, "--from", "1", "--to", "2", "--pupil", "amira-k", "--area", "exploration", "--note", note).status == 0)
        let eaf = dir.appendingPathComponent("names.eaf")
        try Self.eaf(tiers: [("Amira", [(100, 900, "still")])]).write(to: eaf, atomically: true, encoding: .utf8)
        #expect(try evidence("import-annotations", eaf.path, "--asset", video, "--map", writeMap()).status == 0)
        #expect(try evidence("pupils", "list").text.contains("Amira Khan"))
        let secrets = ["Amira", "Khan", "Morgan", "Leona", "amira-k", "A123456789012", "2016-03-09", "NOTEMARK", "Makes choices with a switch", "Priya", "Form filed"]
        for (path, data) in libraryFiles() {
            for secret in secrets {
                #expect(data.range(of: Data(secret.utf8)) == nil, "\(secret) found in plaintext in \(path)")
            }
        }
    }

    @Test func editingOrDeletingAnAuditRowIsDetected() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try prepare()
        #expect(try evidence("audit", "verify").status == 0)
        let catalogue = try DatabaseQueue(path: library + "/catalogue.sqlite")
        let original = try catalogue.read { db in try String.fetchOne(db, sql: "SELECT detail FROM audit WHERE seq = 1") }
        try catalogue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_no_update")
            try db.execute(sql: "UPDATE audit SET detail = 'kdf=none' WHERE seq = 1")
        }
        let edited = try evidence("audit", "verify")
        #expect(edited.status == 4 && edited.stderr.contains("entry 1"))
        try catalogue.write { db in
            try db.execute(sql: "UPDATE audit SET detail = ? WHERE seq = 1", arguments: [original])
        }
        #expect(try evidence("audit", "verify").status == 0)
        try catalogue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_no_delete")
            try db.execute(sql: "DELETE FROM audit WHERE seq = 3")
        }
        let deleted = try evidence("audit", "verify")
        #expect(deleted.status == 4 && deleted.stderr.contains("entry 4"))
    }
}
