import Foundation
import TestSupport
import Testing

/// Every command's `--json` speaks one vocabulary: the keys in Docs/json.md, the same type for the same key,
/// `null` (never a missing key) for unknown values, and numbers rounded to their meaning.
@Suite(.serialized) struct JSONVocabularyTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-json-\(UUID().uuidString)")

    /// The keys Docs/json.md documents: the first backticked names of each table row.
    static func documentedKeys() throws -> Set<String> {
        let text = try String(contentsOf: root.appendingPathComponent("Docs/json.md"), encoding: .utf8)
        var keys: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let firstCell = line.split(separator: "|").first ?? ""
            for part in firstCell.split(separator: "`").enumerated() where part.offset % 2 == 1 { keys.insert(String(part.element)) }
        }
        return keys
    }

    /// One command's document, walked: every object's keys, with the JSON values seen under each.
    struct Walk {
        var values: [String: [Any]] = [:]
        /// Arrays of objects whose members do not all have the same keys.
        var ragged: [String] = []

        mutating func visit(_ value: Any, path: String, dynamicKeys: Bool = false) {
            if let object = value as? [String: Any] {
                for (key, child) in object {
                    if !dynamicKeys { values[key, default: []].append(child) }
                    // `raw` holds a file's own tag names (`QuickTime:make`), not this vocabulary's keys.
                    visit(child, path: "\(path).\(key)", dynamicKeys: key == "raw")
                }
            } else if let array = value as? [Any] {
                let keySets = Set(array.compactMap { ($0 as? [String: Any]).map { Set($0.keys) } })
                if keySets.count > 1 { ragged.append(path) }
                for child in array { visit(child, path: "\(path)[]") }
            }
        }
    }

    static func decimals(_ number: Double) -> Int {
        var places = 0
        var scaled = number
        while places < 10, abs(scaled - scaled.rounded()) > 1e-9 * max(1, abs(scaled)) {
            scaled *= 10
            places += 1
        }
        return places
    }

    @Test func everyCommandSpeaksTheDocumentedVocabulary() throws {
        defer {
            _ = try? evidence("lock")
            try? FileManager.default.removeItem(at: dir)
        }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let dcim = try Fixtures.dcim()
        // The school's files, made here: a roster, consent forms, an ELAN file and its mapping.
        let roster = dir.appendingPathComponent("roster.csv")
        try """
            Forename,Surname,UPN,Date of birth,Year group,Class,Outcome 1
            Amira,Khan-Test,T900000000001,09/03/2016,Year 4,Oak,Makes a choice using eye gaze
            Leo,Morris-Test,T900000000002,20/11/2015,Year 5,Oak,
            """.write(to: roster, atomically: true, encoding: .utf8)
        let forms = dir.appendingPathComponent("consent.csv")
        try "pupil,purpose,decision,from\namira-k,capture,granted,2020-01-01\nleo-m,capture,granted,2020-01-01\n"
            .write(to: forms, atomically: true, encoding: .utf8)
        let eaf = dir.appendingPathComponent("lesson.eaf")
        try TaggingTests.eaf(tiers: [("Amira", [(2500, 3000, "still")])]).write(to: eaf, atomically: true, encoding: .utf8)
        let map = dir.appendingPathComponent("map.json")
        try #"{"subjects": {"Amira": "amira-k"}, "codes": {"still": {"areas": ["anticipation"], "responses": ["stilling"]}}}"#
            .write(to: map, atomically: true, encoding: .utf8)
        var outputs: [(command: String, json: Any, dynamicKeys: Bool)] = []
        func run(_ args: String..., dynamicKeys: Bool = false) throws -> Any {
            let r = try evidence(arguments: args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            let json = try JSONSerialization.jsonObject(with: r.stdout, options: [.fragmentsAllowed])
            outputs.append((args.prefix(2).joined(separator: " "), json, dynamicKeys))
            return json
        }
        _ = try run("init", "--kdf", "interactive", "--json")
        _ = try run("staff", "add", "test-teacher", "--name", "Test Teacher", "--json")
        _ = try run("staff", "add", "ms-patel", "--name", "Priya Patel", "--role", "teacher", "--json")
        _ = try run("staff", "list", "--json")
        _ = try run("ingest", dcim.appendingPathComponent("102TABLET").path, "--json")
        _ = try run("probe", dcim.appendingPathComponent("102TABLET/20260701_094500.mp4").path, dynamicKeys: true)
        let assets = try #require(try run("assets", "--json") as? [[String: Any]])
        let video = try #require(assets.first { $0["kind"] as? String == "video" }?["id"] as? String)
        let photo = try #require(assets.first { $0["kind"] as? String == "photo" }?["id"] as? String)
        _ = try run("show", video, "--json")
        _ = try run("pupils", "import", roster.path, "--json")
        _ = try run("pupils", "add", "Zed Example", "--json")
        _ = try run("pupils", "edit", "zed-e", "--year", "4", "--json")
        _ = try run("pupils", "add", "Yan Mistake", "--json")
        _ = try run("pupils", "add", "Yan Mistake", "--json")
        _ = try run("pupils", "merge", "yan-m2", "into", "yan-m", "--json")
        _ = try run("pupils", "remove", "yan-m", "--json")
        _ = try run("staff", "add", "ta-temp", "--name", "Temporary", "--json")
        _ = try run("staff", "remove", "ta-temp", "--json")
        _ = try run("restricted", "--json")
        _ = try run("pupils", "list", "--json")
        _ = try run("pupils", "show", "amira-k", "--json")
        _ = try run("consent", "import", forms.path, "--json")
        _ = try run("consent", "set", "zed-e", "capture", "granted", "--from", "2020-01-01", "--json")
        _ = try run("consent", "show", "amira-k", "--json")
        _ = try run("vocab", "add", "hand flapping", "--json")
        _ = try run("vocab", "list", "--json")
        let tagged = try #require(
            try run(
                "tag", video, "--from", "0.4", "--to", "2.2", "--pupil", "amira-k", "--area", "exploration",
                "--response", "stilling", "--prompt", "gestural", "--json") as? [String: Any])
        let observation = try #require(tagged["observation"] as? String)
        let moment = try #require(tagged["moment"] as? String)
        _ = try run("tag", photo, "--pupil", "amira-k", "--area", "initiation", "--json")
        _ = try run("edit", observation, "--prompt", "verbal", "--cue", "auditory,tactile", "--cue-novelty", "familiar", "--support", "person", "--reinforcement", "natural", "--state", "alert", "--json")
        _ = try run("vocab", "add", "--kind", "state", "post-physio", "--json")
        _ = try run("vocab", "list", "--kind", "state", "--json")
        _ = try run("judge", "amira-k", "--area", "exploration", "--period", "autumn-2026", "--text", "Explores the tray with both hands.", "--json")
        _ = try run("judgements", "amira-k", "--json")
        _ = try run("consent", "set", "amira-k", "family-sharing", "granted", "--from", "2020-01-01", "--json")
        _ = try run("pupils", "edit", "amira-k", "--engagement-model", "--year", "6", "--json")
        _ = try run("tag", video, "--from", "0.4", "--to", "2.2", "--pupil", "amira-k", "--area", "initiation", "--coder", "second", "--as", "ms-patel", "--json")
        for period in ["year-2025", "year-2026"] {
            _ = try run("report", "pupil", "amira-k", "--period", period, "--json")
            _ = try run("report", "ehc", "amira-k", "--period", period, "--json")
            _ = try run("report", "moderation", "--period", period, "--json")
        }
        _ = try run("report", "parent", "amira-k", "--year", "2026", "--json")
        _ = try run("report", "dfe-return", "--year", "2026", "--json")
        _ = try run("appearances", video, "--reviewed", "--json")
        _ = try run("share", "parent", "amira-k", "--period", "year-2025", "-o", dir.appendingPathComponent("share").path, "--json")
        _ = try run("shares", "--json")
        _ = try run("find", "--group-by", "area", "--group-by", "cue", "--json")
        _ = try run("find", "--group-by", "time-of-day", "--json")
        _ = try run("appearances", photo, "--none-else", "--json")
        _ = try run(
            "import-annotations", eaf.path, "--asset", video,
            "--map", map.path, "--json")
        _ = try run("moments", video, "--json")
        _ = try run("find", "--pupil", "amira-k", "--json")
        _ = try run("find", "--group-by", "area", "--json")
        _ = try run("find", "--untagged", "--json")
        _ = try run("clip", moment, "-o", dir.appendingPathComponent("m.mp4").path, "--json")
        _ = try run("clip", moment, "--into-vault", "--json")
        _ = try run("thumbnail", moment, "-o", dir.appendingPathComponent("m.jpg").path, "--json")
        let removed = try #require(try run("find", "--pupil", "amira-k", "--json") as? [[String: Any]])
        _ = try run("untag", try #require(removed.last?["id"] as? String), "--json")
        _ = try run("audit", "--json")
        _ = try run("audit", "verify", "--json")
        _ = try run("verify", "--json")
        _ = try run("unlock", "--minutes", "1", "--json")
        _ = try run("lock", "--json")

        let documented = try Self.documentedKeys()
        #expect(documented.count > 40, "Docs/json.md's table was read")
        var types: [String: Set<String>] = [:]
        for (command, json, dynamicKeys) in outputs {
            var walk = Walk()
            if dynamicKeys, let object = json as? [String: Any] {
                for child in object.values { walk.visit(child, path: command) }
            } else {
                walk.visit(json, path: command)
            }
            #expect(walk.ragged.isEmpty, "\(command): objects in \(walk.ragged) differ in their keys (unknown must be null)")
            for (key, values) in walk.values {
                #expect(documented.contains(key), "\(command): the key \(key) is not in Docs/json.md")
                for value in values {
                    switch value {
                    case is NSNull: continue
                    case _ where "\(type(of: value))".contains("Bool"): types[key, default: []].insert("bool")
                    case let number as NSNumber:
                        let double = number.doubleValue
                        types[key, default: []].insert("number")
                        if key.hasSuffix("Ms") || key.hasSuffix("Size") || key.hasSuffix("Bytes") {
                            #expect(double == double.rounded(), "\(command): \(key) = \(double) is not a whole number")
                        } else if key.hasSuffix("Seconds") || key == "frameRate" {
                            #expect(Self.decimals(double) <= 3, "\(command): \(key) = \(double) has more than 3 decimals")
                        } else {
                            #expect(Self.decimals(double) <= 6, "\(command): \(key) = \(double) has more than 6 decimals")
                        }
                    case is String: types[key, default: []].insert("string")
                    case is [Any]: types[key, default: []].insert("array")
                    default: types[key, default: []].insert("object")
                    }
                }
            }
        }
        for (key, seen) in types { #expect(seen.count == 1, "the key \(key) has several types: \(seen.sorted())") }
        for synonym in ["assetID", "assetId", "utcOffsetSeconds", "pupilID", "batchID", "observationID", "momentID"] {
            #expect(types[synonym] == nil, "\(synonym) is a synonym; Docs/json.md names the one key")
        }
    }
}
