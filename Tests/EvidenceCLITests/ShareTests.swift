@testable import Documents
import Foundation
import TestSupport
import Testing

/// A family's bundle: what consent allows and nothing else, opened by an independent decrypter and in a real browser,
/// with no leak of another child, no metadata, no plaintext, and every tampered file refused.
@Suite(.serialized) struct ShareTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-share-\(UUID().uuidString)")

    /// Amira's moments: two on the video (one with Leo, who may appear in others' evidence), one on a photo with
    /// GPS, and one on a photo that also shows Zed, whose family has not agreed: that one must stay behind.
    func prepare() throws -> (canon: String, withZed: String) {
        try makeLibrary()
        #expect(try evidence("ingest", Fixtures.dcim().path).status <= 1)
        for (name, consents) in [
            ("Amira Khan", ["capture", "family-sharing"]), ("Leo Morris", ["capture", "appear-in-others"]), ("Zed Quill", ["capture"]),
        ] {
            #expect(try evidence("pupils", "add", name).status == 0)
            let handle = name.lowercased().split(separator: " ").map(String.init)
            for purpose in consents {
                #expect(try evidence("consent", "set", "\(handle[0])-\(handle[1].prefix(1))", purpose, "granted", "--from", "2020-01-01").status == 0)
            }
        }
        let assets = try self.assets()
        func named(_ suffix: String) throws -> String {
            try #require(assets.first { ($0["originalName"] as? String)?.hasSuffix(suffix) == true }?["id"] as? String)
        }
        let video = try named("20260701_094500.mp4"), withZed = try named("20260701_093000.jpg")
        let canon = try #require(
            assets.first {
                $0["kind"] as? String == "photo" && $0["latitude"] is Double && ($0["capturedAt"] as? String ?? "") >= "2025-09"
                    && ($0["capturedAt"] as? String ?? "") < "2026-09" && ($0["contentType"] as? String) == "image/jpeg"
            }?["id"] as? String, "a JPEG with GPS in the 2025–26 school year")
        for args in [
            [video, "--from", "0.4", "--to", "1.5", "--also", "leo-m"], [video, "--from", "2", "--to", "3"], [canon], [withZed, "--also", "zed-q"],
        ] {
            let tagged = try evidence(arguments: ["tag"] + args + ["--pupil", "amira-k", "--area", "exploration", "--response", "reaching"])
            #expect(tagged.status == 0, "\(tagged.stderr)")
        }
        for asset in [video, canon, withZed] { #expect(try evidence("appearances", asset, "--reviewed").status == 0) }
        return (canon, withZed)
    }

    @Test func aFamilyBundleHoldsOnlyWhatConsentAllowsAndOpensInABrowser() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (canon, withZed) = try prepare()
        let bundle = dir.appendingPathComponent("bundle-for-amira")
        let manifestFile = dir.appendingPathComponent("manifest.json")
        let shared = try evidence(
            "share", "parent", "amira-k", "--period", "year-2025", "-o", bundle.path, "--manifest", manifestFile.path,
            "--message", "A lovely year")
        #expect(shared.status == 0, "\(shared.stderr)")
        let lines = shared.stderr.split(separator: "\n").filter { $0.hasPrefix("Passphrase: ") }
        #expect(lines.count == 1)
        let passphrase = String(lines.first?.dropFirst("Passphrase: ".count) ?? "")
        #expect(passphrase.split(separator: " ").count == 6, "six words")

        // The manifest: the three allowed moments in, the one with Zed out, with its reason.
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: manifestFile)) as? [String: Any])
        let included = try #require(manifest["included"] as? [[String: Any]])
        let excluded = try #require(manifest["excluded"] as? [[String: Any]])
        #expect(included.count == 3 && !included.contains { $0["asset"] as? String == withZed }, "\(included)")
        #expect(excluded.count == 1 && (excluded.first?["reasons"] as? [String])?.first?.contains("appearing in others") == true)

        // An independent decrypter (Python's cryptography) opens every item.
        let plain = dir.appendingPathComponent("plain")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        let decrypted = try ReportTests.python([
            Self.root.appendingPathComponent("Tests/Browser/share_decrypt.py").path, bundle.appendingPathComponent("bundle").path,
            passphrase, plain.path,
        ])
        let opened = try #require(try JSONSerialization.jsonObject(with: decrypted) as? [String: Any])
        let items = try #require(opened["items"] as? [[String: Any]])
        #expect(items.map { $0["kind"] as? String } .sorted { ($0 ?? "") < ($1 ?? "") } == ["photo", "video", "video"])
        let captions = items.compactMap { $0["caption"] as? String }.joined(separator: " ")
        for name in ["Leo", "Morris", "Zed", "Quill", "leo-m", "zed-q"] { #expect(!captions.contains(name), "a caption names \(name)") }

        // No metadata: the photo has no EXIF or GPS; the clips no location, make, model or creation time.
        for item in items {
            let file = plain.appendingPathComponent(item["id"] as? String ?? "").path
            if item["kind"] as? String == "photo" {
                let tags = try Self.run("/usr/bin/exiftool", ["-json", "-a", "-G", file])
                for tag in ["GPS", "EXIF:Make", "EXIF:Model", "DateTimeOriginal", "XMP"] {
                    #expect(!tags.contains(tag), "the shared photo keeps \(tag)")
                }
            } else {
                let tags = try Self.run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "format_tags:stream_tags", "-of", "json", file])
                for tag in ["location", "creation_time", "make", "model", "com.apple", "encoder"] {
                    #expect(!tags.lowercased().contains(tag), "the shared clip keeps \(tag)")
                }
            }
        }

        // No leak: nothing under the bundle names Zed or Leo, holds Zed's photo, or holds any item's plaintext.
        let files = FileManager.default.enumerator(atPath: bundle.path)?.compactMap { $0 as? String }
            .compactMap { FileManager.default.contents(atPath: bundle.appendingPathComponent($0).path) } ?? []
        #expect(files.count == 5, "index.html, manifest.bin and three items")
        let viewerPage = try String(contentsOf: bundle.appendingPathComponent("index.html"), encoding: .utf8)
        for name in ["Zed", "Leo", "Amira"] { #expect(!viewerPage.contains(name), "the page names \(name) before the passphrase") }
        let zedPhoto = try evidence("cat", withZed).stdout
        for data in files {
            // Names of four letters or more: a three-letter one turns up by chance in random ciphertext (about one
            // file in twenty); the short names are checked in the plaintext (the page, the captions) instead.
            for name in ["Quill", "Morris", "Amira", "Khan"] {
                #expect(data.range(of: Data(name.utf8)) == nil, "\(name) is readable in the bundle")
            }
            for offset in stride(from: 0, to: zedPhoto.count - 64, by: 997) {
                #expect(data.range(of: zedPhoto.subdata(in: offset..<offset + 64)) == nil, "a slice of Zed's photo")
            }
            for item in items {
                let clear = try Data(contentsOf: plain.appendingPathComponent(item["id"] as? String ?? ""))
                for offset in stride(from: 0, to: max(0, clear.count - 64), by: max(64, clear.count / 16)) {
                    #expect(data.range(of: clear.subdata(in: offset..<offset + 64)) == nil, "plaintext in the bundle")
                }
            }
        }
        _ = canon

        // In a real browser, served over http from 127.0.0.1: every item renders, photos decode, videos load.
        let shots = Self.root.appendingPathComponent(".build/share-screenshots")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let page = try Self.browse(bundle, passphrase: passphrase, shots: shots.appendingPathComponent("family").path)
        #expect(page["items"] as? Int == 3, "\(page["status"] ?? "")")
        #expect((page["images"] as? [Bool]) == [true], "the photo decodes")
        let videos = page["videos"] as? [[String: Any]] ?? []
        let expected = ((opened["manifest"] as? [String: Any])?["items"] as? [[String: Any]] ?? []).compactMap { $0["durationSeconds"] as? Double }
        #expect(videos.count == 2 && videos.allSatisfy { ($0["state"] as? Int ?? 0) >= 1 }, "\(videos) broken: \(page["broken"] ?? "") \(page["status"] ?? "")")
        for (video, seconds) in zip(videos, expected) {
            #expect(abs((video["duration"] as? Double ?? 0) - seconds) <= 0.1, "duration \(video) vs \(seconds)")
        }
        let requests = (page["requests"] as? [String] ?? []).filter { $0.hasPrefix("http") }
        #expect(requests.allSatisfy { $0.hasPrefix("http://127.0.0.1:") }, "\(requests)")
        #expect(page["storage"] as? Int == 0, "nothing kept in the browser")
        #expect((page["text"] as? String ?? "").contains("A lovely year"))
        // From disk (file://): the browser will not fetch sibling files, so the viewer asks for the folder.
        let fromDisk = try ReportTests.python([
            Self.root.appendingPathComponent("Tests/Browser/check_share.py").path, "file://\(bundle.path)/index.html", passphrase,
            shots.appendingPathComponent("from-disk").path,
        ])
        let disk = try #require(try JSONSerialization.jsonObject(with: fromDisk) as? [String: Any])
        #expect(disk["askedForFolder"] as? Bool == true && disk["items"] as? Int == 3, "\(disk["status"] ?? "")")
        // A wrong passphrase: the message, and nothing else.
        let wrong = try Self.browse(bundle, passphrase: "not the words at all", shots: shots.appendingPathComponent("wrong").path)
        #expect(wrong["items"] as? Int == 0 && (wrong["status"] as? String ?? "").contains("does not open"))
        // Damaged items each say so in their own place while the rest still open: a flipped byte, a truncated
        // file, and a file moved in from another bundle made with the same passphrase.
        let words = dir.appendingPathComponent("words.txt")
        try passphrase.write(to: words, atomically: true, encoding: .utf8)
        let other = dir.appendingPathComponent("other")
        #expect(try evidence("share", "parent", "amira-k", "--period", "year-2025", "-o", other.path, "--bundle-passphrase-file", words.path).status == 0)
        let itemFiles = try FileManager.default.contentsOfDirectory(atPath: bundle.appendingPathComponent("bundle").path)
            .filter { $0 != "manifest.bin" }.sorted()
        let foreign = try #require(try FileManager.default.contentsOfDirectory(atPath: other.appendingPathComponent("bundle").path)
            .first { $0 != "manifest.bin" })
        let target = { (name: String) in bundle.appendingPathComponent("bundle/\(name)") }
        var flipped = try Data(contentsOf: target(itemFiles[0]))
        flipped[flipped.count - 20] ^= 0x01
        try flipped.write(to: target(itemFiles[0]))
        let pristine = try Data(contentsOf: target(itemFiles[1]))
        let partlyDamaged = try Self.browse(bundle, passphrase: passphrase, shots: shots.appendingPathComponent("damaged").path)
        #expect(partlyDamaged["items"] as? Int == 3 && partlyDamaged["broken"] as? Int == 1, "a flipped byte: \(partlyDamaged["broken"] ?? "")")
        try pristine.prefix(pristine.count - 1).write(to: target(itemFiles[1]))
        try Data(contentsOf: other.appendingPathComponent("bundle/\(foreign)")).write(to: target(itemFiles[2]))
        let allDamaged = try Self.browse(bundle, passphrase: passphrase, shots: shots.appendingPathComponent("all-damaged").path)
        #expect(allDamaged["items"] as? Int == 3 && allDamaged["broken"] as? Int == 3, "truncated and moved too: \(allDamaged["broken"] ?? "")")
        // A damaged manifest fails the whole bundle with a message.
        var manifestBytes = try Data(contentsOf: bundle.appendingPathComponent("bundle/manifest.bin"))
        manifestBytes[manifestBytes.count - 1] ^= 0x01
        try manifestBytes.write(to: bundle.appendingPathComponent("bundle/manifest.bin"))
        let broken = try Self.browse(bundle, passphrase: passphrase, shots: shots.appendingPathComponent("broken-manifest").path)
        #expect(broken["items"] as? Int == 0 && !(broken["status"] as? String ?? "").isEmpty)

        // Audited with its content, and listed.
        let shares = try evidence("shares", "--json").json([[String: Any]].self)
        #expect(shares.count == 2 && shares.allSatisfy { $0["count"] as? Int == 3 && $0["recipient"] as? String == "amira-k's family" })
        let leo = try evidence("audit", "--pupil", "leo-m", "--json").json([[String: Any]].self)
        #expect(leo.contains { $0["action"] as? String == "report-share" }, "Leo is shown in a shared clip")
        // Nothing allowed: exit 5 and no folder; an existing folder: exit 2.
        let nothing = dir.appendingPathComponent("zed")
        #expect(try evidence("share", "parent", "zed-q", "--period", "year-2025", "-o", nothing.path).status == 5)
        #expect(!FileManager.default.fileExists(atPath: nothing.path))
        #expect(try evidence("share", "parent", "amira-k", "--period", "year-2025", "-o", bundle.path).status == 2)
    }

    /// Tampering, against the independent decrypter: a flipped byte, a truncated file, a file moved in from another
    /// bundle made with the same passphrase, and two chunks swapped are each refused.
    @Test func everyTamperedFileIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try prepare()
        let words = dir.appendingPathComponent("words.txt")
        try "maple ocean thunder pocket violin garden".write(to: words, atomically: true, encoding: .utf8)
        #expect(try evidence("share", "parent", "amira-k", "--period", "year-2025", "-o", dir.appendingPathComponent("weak").path,
            "--bundle-passphrase-file", dir.appendingPathComponent("missing").path).status == 2)
        try "password1".write(to: dir.appendingPathComponent("weak.txt"), atomically: true, encoding: .utf8)
        #expect(try evidence("share", "parent", "amira-k", "--period", "year-2025", "-o", dir.appendingPathComponent("weak").path,
            "--bundle-passphrase-file", dir.appendingPathComponent("weak.txt").path).status == 2, "too weak")
        let first = dir.appendingPathComponent("first"), second = dir.appendingPathComponent("second")
        for folder in [first, second] {
            let made = try evidence("share", "parent", "amira-k", "--period", "year-2025", "-o", folder.path, "--bundle-passphrase-file", words.path)
            #expect(made.status == 0 && !made.stderr.contains("Passphrase:"), "a chosen passphrase is not printed")
        }
        let plain = dir.appendingPathComponent("plain")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        let decrypter = Self.root.appendingPathComponent("Tests/Browser/share_decrypt.py").path
        func opens(_ folder: URL) -> Bool {
            (try? ReportTests.pythonStatus([decrypter, folder.appendingPathComponent("bundle").path, "Maple  OCEAN thunder pocket violin garden", plain.path])) == 0
        }
        #expect(opens(first), "the passphrase is normalised as the viewer does")
        let names = try FileManager.default.contentsOfDirectory(atPath: first.appendingPathComponent("bundle").path).filter { $0 != "manifest.bin" }.sorted()
        func tampered(_ change: (URL) throws -> Void) throws -> Bool {
            let copy = dir.appendingPathComponent("copy-\(UUID().uuidString.prefix(6))")
            try FileManager.default.copyItem(at: first, to: copy)
            try change(copy.appendingPathComponent("bundle/\(names[0])"))
            return opens(copy)
        }
        #expect(try !tampered { url in var d = try Data(contentsOf: url); d[100] ^= 0x80; try d.write(to: url) }, "a flipped byte")
        #expect(try !tampered { url in let d = try Data(contentsOf: url); try d.prefix(d.count - 1).write(to: url) }, "a truncated file")
        let foreign = try FileManager.default.contentsOfDirectory(atPath: second.appendingPathComponent("bundle").path).first { $0 != "manifest.bin" }!
        #expect(try !tampered { url in try Data(contentsOf: second.appendingPathComponent("bundle/\(foreign)")).write(to: url) }, "a file from another bundle")
        // Chunks: a file of three chunks made here opens; with two chunks swapped, or its last chunk dropped, it does not.
        let writer = try BundleWriter(passphrase: "maple ocean thunder pocket violin garden")
        let payload = Data((0..<(BundleWriter.chunkSize * 2 + 5000)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let sealed = try writer.seal(payload, fileID: BundleWriter.fileID())
        let whole = dir.appendingPathComponent("whole.bin")
        try sealed.write(to: whole)
        #expect(try ReportTests.pythonStatus([decrypter, "--file", whole.path, "maple ocean thunder pocket violin garden"]) == 0)
        let chunk = BundleWriter.chunkSize + 16
        var swapped = sealed
        swapped.replaceSubrange(80..<80 + chunk, with: sealed.subdata(in: 80 + chunk..<80 + 2 * chunk))
        swapped.replaceSubrange(80 + chunk..<80 + 2 * chunk, with: sealed.subdata(in: 80..<80 + chunk))
        try swapped.write(to: whole)
        #expect(try ReportTests.pythonStatus([decrypter, "--file", whole.path, "maple ocean thunder pocket violin garden"]) == 1, "swapped chunks")
        try sealed.prefix(80 + 2 * chunk).write(to: whole)
        #expect(try ReportTests.pythonStatus([decrypter, "--file", whole.path, "maple ocean thunder pocket violin garden"]) == 1, "a dropped last chunk")
    }

    /// A moderator's bundle: only moments every pupil shown has moderation consent for, pupils by initials, the
    /// codings side by side; and a family's letter holds their passphrase.
    @Test func aModerationTransferNamesPupilsByInitialsOnly() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, withZed) = try prepare()
        for handle in ["amira-k", "leo-m"] {
            #expect(try evidence("consent", "set", handle, "moderation", "granted", "--from", "2020-01-01").status == 0)
        }
        #expect(try evidence("staff", "add", "ms-patel", "--name", "Priya Patel").status == 0)
        let video = try #require(try assets().first { ($0["originalName"] as? String)?.hasSuffix("20260701_094500.mp4") == true }?["id"] as? String)
        #expect(try evidence("tag", video, "--from", "0.4", "--to", "1.5", "--pupil", "amira-k", "--area", "anticipation", "--coder", "second", "--as", "ms-patel").status == 0)
        let folder = dir.appendingPathComponent("moderation")
        let made = try evidence("share", "moderation", "--period", "year-2025", "-o", folder.path, "--json")
        #expect(made.status == 0, "\(made.stderr)")
        let chosen = try made.json([String: Any].self)
        let included = chosen["included"] as? [[String: Any]] ?? []
        #expect(included.count == 3 && !included.contains { $0["asset"] as? String == withZed }, "\(included)")
        let passphrase = String(made.stderr.split(separator: "\n").first { $0.hasPrefix("Passphrase: ") }?.dropFirst(12) ?? "")
        let plain = dir.appendingPathComponent("plain")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        let opened = try ReportTests.python([
            Self.root.appendingPathComponent("Tests/Browser/share_decrypt.py").path, folder.appendingPathComponent("bundle").path,
            passphrase, plain.path,
        ])
        let text = String(decoding: opened, as: UTF8.self)
        #expect(text.contains("A. K., coded by test-teacher") && text.contains("A. K., coded by ms-patel"), "codings side by side")
        for name in ["Amira", "Khan", "Leo", "Morris", "amira-k", "leo-m"] { #expect(!text.contains(name), "\(name) reaches the moderator") }
        #expect(text.contains("\"kind\": \"moderation\""))
        let listed = try evidence("shares", "--json").json([[String: Any]].self)
        #expect(listed.map { $0["recipient"] as? String } == ["a moderator"], "one transfer, listed once")
        // The family's letter holds the passphrase the bundle opens with.
        let letter = dir.appendingPathComponent("letter.html")
        let family = try evidence("share", "parent", "amira-k", "--period", "year-2025", "-o", dir.appendingPathComponent("family").path, "--letter", letter.path)
        let words = String(family.stderr.split(separator: "\n").first { $0.hasPrefix("Passphrase: ") }?.dropFirst(12) ?? "")
        let page = try String(contentsOf: letter, encoding: .utf8)
        #expect(words.split(separator: " ").count == 6 && words.split(separator: " ").allSatisfy { page.contains("<span>\($0)</span>") })
        #expect(try FileManager.default.attributesOfItem(atPath: letter.path)[.posixPermissions] as? Int == 0o600)
    }

    /// A phone's 1080p HEVC (10-bit) video with its location and make is shared as H.264 4:2:0 of at most 720p,
    /// exactly the moment's length, with none of that metadata.
    @Test func aPhoneVideoIsMadePlayableForSharing() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try prepare()
        let phone = dir.appendingPathComponent("phone")
        try FileManager.default.createDirectory(at: phone, withIntermediateDirectories: true)
        let made = try Self.run("/usr/bin/ffmpeg", [
            "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-f", "lavfi", "-i",
            "sine=frequency=440:sample_rate=48000", "-t", "4", "-c:v", "libx265", "-preset", "ultrafast", "-tag:v", "hvc1",
            "-pix_fmt", "yuv420p10le", "-c:a", "aac", "-metadata", "location=+51.5074-000.1278/", "-metadata", "make=Apple",
            "-metadata", "creation_time=2026-06-10T10:00:00Z", phone.appendingPathComponent("IMG_9001.MOV").path,
        ])
        _ = made
        #expect(try evidence("ingest", phone.path).status == 0)
        let id = try #require(try assets().first { ($0["originalName"] as? String)?.hasSuffix("IMG_9001.MOV") == true }?["id"] as? String)
        #expect(try evidence("tag", id, "--from", "0.5", "--to", "3", "--pupil", "amira-k", "--area", "exploration").status == 0)
        #expect(try evidence("appearances", id, "--none-else").status == 0)
        let folder = dir.appendingPathComponent("bundle")
        let shared = try evidence("share", "parent", "amira-k", "--period", "year-2025", "-o", folder.path)
        #expect(shared.status == 0, "\(shared.stderr)")
        let passphrase = String(shared.stderr.split(separator: "\n").first { $0.hasPrefix("Passphrase: ") }?.dropFirst(12) ?? "")
        let plain = dir.appendingPathComponent("plain")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        let opened = try ReportTests.python([
            Self.root.appendingPathComponent("Tests/Browser/share_decrypt.py").path, folder.appendingPathComponent("bundle").path,
            passphrase, plain.path,
        ])
        let items = (try JSONSerialization.jsonObject(with: opened) as? [String: Any])?["items"] as? [[String: Any]] ?? []
        var found = false
        for item in items where item["kind"] as? String == "video" {
            let file = plain.appendingPathComponent(item["id"] as? String ?? "").path
            let probe = try Self.run("/usr/bin/ffprobe", [
                "-v", "error", "-show_entries", "stream=codec_name,width,height,pix_fmt:format=duration:format_tags:stream_tags", "-of", "json", file,
            ])
            #expect(probe.contains("\"h264\"") && probe.contains("\"yuv420p\"") && !probe.contains("hevc"), "\(probe)")
            for tag in ["location", "make", "creation_time", "Apple"] { #expect(!probe.contains(tag), "\(tag) survives") }
            if probe.contains("\"width\": 1280") {
                found = true
                #expect(probe.contains("\"height\": 720"))
                let duration = Double(probe.firstMatch(of: /"duration": "([0-9.]+)"/).map { String($0.1) } ?? "") ?? 0
                #expect(abs(duration - 2.5) < 0.05, "the moment's length: \(duration)")
            }
        }
        #expect(found, "the 1080p phone video came out at 720p")
    }

    /// `--zip`: the encrypted files in one stored `bundle.zip` beside the viewer; a standard zip reader accepts it, the
    /// files decrypt, and the viewer opens it over http and from disk.
    @Test func aZippedBundleOpensOverHTTPAndFromDisk() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try prepare()
        let bundle = dir.appendingPathComponent("zipped")
        let made = try evidence("share", "parent", "amira-k", "--period", "year-2025", "-o", bundle.path, "--zip")
        #expect(made.status == 0, "\(made.stderr)")
        let passphrase = String(made.stderr.split(separator: "\n").first { $0.hasPrefix("Passphrase: ") }?.dropFirst(12) ?? "")
        #expect(try FileManager.default.contentsOfDirectory(atPath: bundle.path).sorted() == ["bundle.zip", "index.html"])
        // Python's zipfile checks every entry's CRC and extracts them; the independent decrypter opens them.
        let extracted = dir.appendingPathComponent("extracted")
        #expect(try ReportTests.pythonStatus([
            "-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; z.extractall(sys.argv[2])",
            bundle.appendingPathComponent("bundle.zip").path, extracted.path,
        ]) == 0)
        let plain = dir.appendingPathComponent("plain")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        #expect(try ReportTests.pythonStatus([
            Self.root.appendingPathComponent("Tests/Browser/share_decrypt.py").path, extracted.path, passphrase, plain.path,
        ]) == 0)
        let shots = Self.root.appendingPathComponent(".build/share-screenshots")
        let served = try Self.browse(bundle, passphrase: passphrase, shots: shots.appendingPathComponent("zip-served").path)
        #expect(served["items"] as? Int == 3 && (served["images"] as? [Bool]) == [true], "\(served["status"] ?? "")")
        let disk = try JSONSerialization.jsonObject(with: try ReportTests.python([
            Self.root.appendingPathComponent("Tests/Browser/check_share.py").path, "file://\(bundle.path)/index.html", passphrase,
            shots.appendingPathComponent("zip-disk").path,
        ])) as? [String: Any]
        #expect(disk?["items"] as? Int == 3 && (disk?["videos"] as? [[String: Any]])?.count == 2, "\(disk?["status"] ?? "") \(disk?["videos"] ?? "") broken \(disk?["broken"] ?? "")")
    }

    /// Serves `bundle` from 127.0.0.1 with `python3 -m http.server` and opens it in Chromium (check_share.py).
    static func browse(_ bundle: URL, passphrase: String, shots: String) throws -> [String: Any] {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", bundle.path]
        let out = Pipe()
        server.standardOutput = out
        server.standardError = FileHandle.nullDevice
        try server.run()
        // SIGKILL: a SIGTERM can be ignored when the test runner's own disposition is inherited, which left servers
        // running after the tests.
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
        var banner = Data()
        while !String(decoding: banner, as: UTF8.self).contains("\n") {
            let more = out.fileHandleForReading.availableData
            if more.isEmpty { break }
            banner += more
        }
        let port = try #require(String(decoding: banner, as: UTF8.self).firstMatch(of: /port (\d+)/).map { String($0.1) })
        let result = try ReportTests.python([
            root.appendingPathComponent("Tests/Browser/check_share.py").path, "http://127.0.0.1:\(port)/index.html", passphrase, shots,
        ])
        return try #require(try JSONSerialization.jsonObject(with: result) as? [String: Any])
    }

    /// A tool's stdout.
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
