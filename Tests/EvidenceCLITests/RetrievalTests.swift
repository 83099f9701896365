import Catalogue
import EvidenceKit
import Foundation
import Media
import TestSupport
import Testing
import Vault

/// `find` checked against brute force over a generated catalogue, and clips cut from the encrypted vault.
@Suite(.serialized) struct RetrievalTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-find-\(UUID().uuidString)")

    /// What the test itself recorded for each observation it made: the brute-force side.
    struct Known {
        var id: String
        var pupil: String
        var areas: Set<String>
        var responses: Set<String>
        var prompt: String?
        var setting: String?
        var staff: Set<String>
        var outcome: Int?
        var note: String?
        var day: String
        var kind: String
    }

    @Test(arguments: [UInt64(7), 8])
    func everyFilterAndCombinationMatchesBruteForce(seed: UInt64) async throws {
        var random = ConsentPropertyTests.SeededGenerator(seed: seed)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (library, _) = try Library.create(at: URL(fileURLWithPath: library), passphrase: "test passphrase 123", strength: .interactive, createdBy: "test-teacher")
        let session = try TestSession.make(library)
        _ = try await Ingestor(session).ingest(paths: [Fixtures.dcim().path])
        let assets = try library.catalogue.read { try $0.allAssets() }
        var pupils: [String] = []
        for index in 0..<6 {
            let pupil = try Roster(session).addPupil(PupilDraft(handle: "p\(index)", name: "Child\(index) Test", outcomes: ["A", "B", "C"]))
            _ = try ConsentRegister(session).setConsent(pupil: pupil, purpose: .capture, decision: .granted, effectiveFrom: "2020-01-01")
            pupils.append(pupil.handle)
        }
        let staff = ["key-adult", "ta-one", "ta-two"]
        for handle in staff { try StaffList(session).addStaff(handle: handle, name: "Staff \(handle)", role: nil) }
        let areas = EngagementArea.allCases.map(\.rawValue)
        let responses = ["stilling", "reaching", "vocalisation", "gaze", "smiling"]
        let prompts = PromptLevel.allCases.map(\.rawValue)
        let settings = ["classroom", "sensory room", "hall"]
        let words = ["FINDWORDalpha", "FINDWORDbeta", "FINDWORDgamma"]
        var known: [Known] = []
        for _ in 0..<120 {
            let asset = assets.randomElement(using: &random)!
            var draft = ObservationDraft(pupil: pupils.randomElement(using: &random)!)
            draft.areas = Array(Set((0..<Int.random(in: 1...3, using: &random)).map { _ in areas.randomElement(using: &random)! }))
            draft.responses = Array(Set((0..<Int.random(in: 0...2, using: &random)).map { _ in responses.randomElement(using: &random)! }))
            draft.prompt = Bool.random(using: &random) ? prompts.randomElement(using: &random) : nil
            draft.setting = Bool.random(using: &random) ? settings.randomElement(using: &random) : nil
            draft.withStaff = Array(Set((0..<Int.random(in: 0...2, using: &random)).map { _ in staff.randomElement(using: &random)! }))
            draft.outcome = Bool.random(using: &random) ? Int.random(in: 1...3, using: &random) : nil
            draft.note = Bool.random(using: &random) ? "seen \(words.randomElement(using: &random)!) today" : nil
            let isVideo = asset.kind == .video
            let start: Int64? = isVideo ? Int64.random(in: 0...800, using: &random) : nil
            let result = try Tagger(session).tag(asset: asset, from: start, to: start.map { $0 + 500 }, draft: draft)
            known.append(
                Known(
                    id: result.observation.description, pupil: draft.pupil, areas: Set(draft.areas), responses: Set(draft.responses),
                    prompt: draft.prompt, setting: draft.setting, staff: Set(draft.withStaff), outcome: draft.outcome, note: draft.note,
                    day: CalendarDate.day(of: asset.capturedAt.addingTimeInterval(Double(start ?? 0) / 1000), in: session.timeZone),
                    kind: asset.kind.rawValue))
        }
        let days = Array(Set(known.map(\.day))).sorted()
        for trial in 0..<80 {
            var query = FindQuery()
            var expected = known
            if Bool.random(using: &random) {
                query.pupils = Array(pupils.shuffled(using: &random).prefix(Int.random(in: 1...2, using: &random)))
                expected = expected.filter { query.pupils.contains($0.pupil) }
            }
            if Bool.random(using: &random) {
                query.areas = Array(areas.shuffled(using: &random).prefix(Int.random(in: 1...2, using: &random)))
                query.allAreas = Bool.random(using: &random)
                expected = expected.filter { query.allAreas ? Set(query.areas).isSubset(of: $0.areas) : !Set(query.areas).isDisjoint(with: $0.areas) }
            }
            if Int.random(in: 0...2, using: &random) == 0 {
                query.responses = [responses.randomElement(using: &random)!]
                expected = expected.filter { $0.responses.contains(query.responses[0]) }
            }
            if Int.random(in: 0...2, using: &random) == 0 {
                query.prompt = prompts.randomElement(using: &random)
                expected = expected.filter { $0.prompt == query.prompt }
            }
            if Int.random(in: 0...2, using: &random) == 0 {
                query.setting = settings.randomElement(using: &random)
                expected = expected.filter { $0.setting == query.setting }
            }
            if Int.random(in: 0...3, using: &random) == 0 {
                query.withStaff = [staff.randomElement(using: &random)!]
                expected = expected.filter { $0.staff.contains(query.withStaff[0]) }
            }
            if Int.random(in: 0...3, using: &random) == 0 {
                query.withoutStaff = [staff.randomElement(using: &random)!]
                expected = expected.filter { !$0.staff.contains(query.withoutStaff[0]) }
            }
            if Int.random(in: 0...3, using: &random) == 0 {
                query.outcome = Int.random(in: 1...3, using: &random)
                expected = expected.filter { $0.outcome == query.outcome }
            }
            if Bool.random(using: &random) {
                query.since = days.randomElement(using: &random)
                expected = expected.filter { $0.day >= query.since! }
            }
            if Bool.random(using: &random) {
                query.until = days.randomElement(using: &random)
                expected = expected.filter { $0.day <= query.until! }
            }
            if Int.random(in: 0...3, using: &random) == 0 {
                query.assetKind = Bool.random(using: &random) ? "photo" : "video"
                expected = expected.filter { $0.kind == query.assetKind }
            }
            if Int.random(in: 0...3, using: &random) == 0 {
                let word = words.randomElement(using: &random)!
                query.text = word.lowercased()
                expected = expected.filter { $0.note?.contains(word) == true }
            }
            let found = try Finder(session).find(query)
            #expect(Set(found.map(\.id.description)) == Set(expected.map(\.id)), "seed \(seed) trial \(trial): \(query)")
            if let groups = try? Finder(session).findGroups(query, by: [.area]) {
                for group in groups {
                    #expect(group.count == expected.filter { $0.areas.contains(group.key) }.count, "group \(group.key)")
                }
            }
        }
        // JSON and CSV from the CLI parse back to the same rows as the library returns.
        var query = FindQuery()
        query.pupils = [pupils[0]]
        let rows = try Finder(session).find(query)
        let json = try evidence("find", "--pupil", pupils[0], "--json").json([[String: Any]].self)
        #expect(json.compactMap { $0["id"] as? String } == rows.map(\.id.description))
        #expect(json.compactMap { $0["note"] as? String } == rows.compactMap(\.note))
        let csv = try evidence("find", "--pupil", pupils[0], "--csv").text
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines.count == rows.count + 1)
        for (line, row) in zip(lines.dropFirst(), rows) {
            #expect(line.hasPrefix("\(row.id),\(row.moment),\(row.asset?.rawValue ?? ""),"))
            #expect(line.contains(row.areas.joined(separator: ";")))
        }
        // Notes are found, yet no note word is stored in plaintext.
        for (path, data) in libraryFiles() {
            for word in words { #expect(data.range(of: Data(word.utf8)) == nil, "\(word) in \(path)") }
        }
    }

    /// ffmpeg and exiftool make the test video; a missing one is a recorded failure, not a silent pass.
    static func haveMediaTools() -> Bool {
        let found = ["/usr/bin/ffmpeg", "/usr/bin/exiftool"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
        if !found { Issue.record("ffmpeg and exiftool are needed to make the test video (Scripts/test installs them)") }
        return found
    }

    /// A 10-minute 10 fps video with testsrc2's burnt-in timecode, a 5 s GOP, AAC audio and a 90° rotation.
    func makeLongVideo() throws -> URL {
        let video = dir.appendingPathComponent("card/lesson.mp4")
        try FileManager.default.createDirectory(at: video.deletingLastPathComponent(), withIntermediateDirectories: true)
        for arguments in [
            [
                "/usr/bin/ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-f", "lavfi",
                "-i", "sine=frequency=440:sample_rate=16000", "-t", "600", "-c:v", "libx264", "-preset", "ultrafast", "-g", "50",
                "-c:a", "aac", "-b:a", "24k", "-metadata", "creation_time=2026-09-10T09:00:00Z", video.path,
            ],
            ["/usr/bin/exiftool", "-q", "-overwrite_original", "-Rotation=90", video.path],
        ] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "\(arguments[0]) failed")
        }
        return video
    }

    func videoStreamDuration(_ path: String) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
        process.arguments = ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=duration", "-of", "csv=p=0", path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // With side data (the display matrix) ffprobe adds fields: the duration is the first.
        return text.split(whereSeparator: { $0 == "," || $0 == "\n" }).first.flatMap { Double($0) } ?? -1
    }

    func decodeErrors(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-nostdin", "-v", "error", "-i", path, "-f", "null", "-"]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? text : "exit \(process.terminationStatus): \(text)"
    }

    @Test func clipsNearStartMiddleAndEndKeepRotationAndDecode() throws {
        guard Self.haveMediaTools() else { return }
        try makeLibrary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let video = try makeLongVideo()
        #expect(try evidence("ingest", video.path).status == 0)
        let id = try #require(try assets().first?["id"] as? String)
        for (from, to) in [(5.3, 12.1), (300.2, 307.0), (590.5, 599.0)] {
            for exact in [false, true] {
                let out = dir.appendingPathComponent("clip-\(from)-\(exact).mp4").path
                var args = ["clip", id, "--from", String(from), "--to", String(to), "-o", out, "--json"]
                if exact { args.append("--exact") }
                let r = try evidence(arguments: args)
                #expect(r.status == 0, "\(r.stderr)")
                #expect(r.stderr.contains("warning"))
                let report = try r.json()
                let info = try MediaProbe.probe(path: out, timeZone: TimeZone(identifier: "UTC")!)
                #expect(info.rotation == 90, "rotation lost at \(from)")
                let duration = try videoStreamDuration(out)
                if exact {
                    #expect(abs(duration - (to - from)) <= 0.1 + 0.001, "exact \(from): \(duration)")
                    #expect(abs((report["sourceStartSeconds"] as? Double ?? -1) - from) < 0.001)
                } else {
                    // Copy starts at the keyframe at or before `from` (GOP 5 s) and ends at `to`.
                    let keyframe = (from / 5).rounded(.down) * 5
                    #expect(abs((report["sourceStartSeconds"] as? Double ?? -1) - keyframe) < 0.01, "copy start \(from)")
                    #expect(abs(duration - (to - keyframe)) <= 0.2, "copy \(from): \(duration)")
                    #expect(duration <= (to - from) + 5.0 + 0.2)
                }
                #expect(try decodeErrors(out).isEmpty, "decode errors in clip at \(from)")
                // creation_time is the capture time plus the clip's start.
                let start = exact ? from : (from / 5).rounded(.down) * 5
                let expected = Date(timeIntervalSince1970: 1_789_030_800 + start)  // 2026-09-10T09:00:00Z + start
                #expect(abs(info.capturedAt.timeIntervalSince1970 - expected.timeIntervalSince1970) < 1.01, "creation_time at \(from)")
                // Only the chunks around the range were decrypted, not the whole video.
                let decrypted = report["bytesDecrypted"] as? Int ?? 0, total = report["sourceBytes"] as? Int ?? 0
                #expect(decrypted < total / 2, "decrypted \(decrypted) of \(total) for a clip at \(from)")
            }
        }
        #expect(try evidence("audit", "--json").json([[String: Any]].self).filter { $0["action"] as? String == "clip" }.count == 6)
        // --into-vault: a new encrypted asset, linked to its source, and no plaintext file anywhere.
        let before = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        let stored = try evidence("clip", id, "--from", "300", "--to", "305", "--into-vault", "--json")
        #expect(stored.status == 0, "\(stored.stderr)")
        let clip = try #require(try stored.json()["asset"] as? String)
        #expect(try stored.json()["isNew"] as? Bool == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == before)
        let shown = try evidence("show", clip, "--json").json()
        #expect(abs((shown["durationSeconds"] as? Double ?? 0) - 5) < 0.2)
        #expect(shown["rotation"] as? Int == 90)
        #expect((shown["capturedAt"] as? String)?.hasPrefix("2026-09-10T09:05:00") == true || (shown["capturedAt"] as? String)?.hasPrefix("2026-09-10T10:05:00") == true)
        #expect(try evidence("verify", "--read-data").status == 0)
        // A moment's clip counts --from and --to from the moment's start; --duration stands in for --to.
        #expect(try evidence("pupils", "add", "Clip Child", "--handle", "clip-c").status == 0)
        #expect(try evidence("consent", "set", "clip-c", "capture", "granted", "--from", "2026-01-01").status == 0)
        let moment = try #require(
            try evidence("tag", id, "--from", "300", "--to", "310", "--pupil", "clip-c", "--json").json()["moment"] as? String)
        let inMoment = dir.appendingPathComponent("in-moment.mp4").path
        let cut = try evidence("clip", moment, "--from", "2", "--duration", "3", "--exact", "-o", inMoment, "--json")
        #expect(cut.status == 0, "\(cut.stderr)")
        #expect(abs((try cut.json()["sourceStartSeconds"] as? Double ?? -1) - 302) < 0.001)
        #expect(abs(try videoStreamDuration(inMoment) - 3) <= 0.1 + 0.001)
        let both = try evidence("clip", moment, "--to", "4", "--duration", "2", "-o", dir.appendingPathComponent("both.mp4").path)
        #expect(both.status == 2 && both.stderr.contains("--duration"), "\(both.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("both.mp4").path))
    }

    @Test func aTamperedChunkInsideTheRangeExitsFourAndLeavesNoFile() throws {
        guard Self.haveMediaTools() else { return }
        try makeLibrary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let video = try makeLongVideo()
        #expect(try evidence("ingest", video.path).status == 0)
        let id = try #require(try assets().first?["id"] as? String)
        // A reader that goes away early (`| head`) ends `cat` quietly, not with a crash.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = ["-c", "\"$0\" cat \(id) | head -c 100 > /dev/null; exit ${PIPESTATUS[0]}", Self.binary]
        var environment = ProcessInfo.processInfo.environment
        environment["EVIDENCE_PASSPHRASE"] = "test passphrase 123"
        environment["EVIDENCE_LIBRARY"] = library
        shell.environment = environment
        let err = Pipe()
        shell.standardError = err
        try shell.run()
        let complaint = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0, "cat | head: \(complaint)")
        #expect(!complaint.contains("crashed"))
        let hex = id.replacingOccurrences(of: "-", with: "")
        let blob = URL(fileURLWithPath: library).appendingPathComponent("vault/\(hex.prefix(2))/\(hex.dropFirst(2))")
        var data = try Data(contentsOf: blob)
        // Damage every chunk of the middle third: the data for minute 5 lies there, the index (moov) does not.
        let chunks = (data.count - 64) / (65_536 + 16)
        for chunk in (chunks / 3)..<(2 * chunks / 3) { data[64 + chunk * (65_536 + 16) + 100] ^= 0x01 }
        try data.write(to: blob)
        let out = dir.appendingPathComponent("out/clip.mp4")
        try FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
        let r = try evidence("clip", id, "--from", "300", "--to", "305", "-o", out.path)
        #expect(r.status == 4, "\(r.stderr)")
        #expect(r.stderr.contains(id))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path).isEmpty)
        // A range outside the damage still cuts.
        #expect(try evidence("clip", id, "--from", "10", "--to", "15", "-o", out.path).status == 0)
    }
}
