import EvidenceKit
import Foundation
import TestSupport
import Testing

/// End-to-end tests through the built `evidence` binary: stdout, stderr and exit codes.
@Suite(.serialized) struct CLITests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-test-\(UUID().uuidString)")

    /// Writes `count` small distinct JPEG-shaped files by copying a sample and appending a unique trailer marker.
    func makeInputs(count: Int, marker: String) throws -> URL {
        let input = dir.appendingPathComponent("card/DCIM")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let sample = try Data(contentsOf: Fixtures.dcim().appendingPathComponent("100CANON/IMG_0001.JPG"))
        for i in 0..<count {
            // Bytes after the end-of-image marker are ignored by viewers, so this stays a valid JPEG.
            var data = sample
            data.removeLast(2)
            data += Data("\(marker)-\(i)".utf8) + Data([0xFF, 0xD9])
            try data.write(to: input.appendingPathComponent("PUPIL_\(marker)_\(i).JPG"))
        }
        return input
    }

    @Test func ingestSamplesReportsDamagedFilesAndSkipsDuplicates() throws {
        try makeLibrary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let samples = try Fixtures.dcim().path
        let first = try evidence("ingest", samples, "--json")
        #expect(first.status == 1)
        #expect(first.stderr.contains("IMG_0099.JPG"))
        #expect(first.stderr.contains("20260701_094600.mp4"))
        let summary = try #require(try JSONSerialization.jsonObject(with: first.stdout) as? [String: Any])
        #expect(summary["ingested"] as? Int == 14)
        #expect(summary["failed"] as? Int == 2)
        #expect(summary["skipped"] as? Int == 1)
        // Same content under another name, plus a re-run: nothing new.
        let copy = dir.appendingPathComponent("copy")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Fixtures.dcim().appendingPathComponent("100CANON/IMG_0001.JPG"),
            to: copy.appendingPathComponent("renamed.jpg")
        )
        let again = try evidence("ingest", samples, copy.path, "--json")
        let s2 = try #require(try JSONSerialization.jsonObject(with: again.stdout) as? [String: Any])
        #expect(s2["ingested"] as? Int == 0)
        #expect(s2["duplicates"] as? Int == 1)
        #expect(try assets().count == 14)
        #expect(try evidence("verify", "--read-data").status == 0)
        #expect(try evidence("audit", "verify").status == 0)
    }

    @Test func everyByteDecryptsBackAndNoPlaintextIsAtRest() throws {
        try makeLibrary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let marker = "MARKER\(UInt32.random(in: 100_000...999_999))"
        let input = try makeInputs(count: 5, marker: marker)
        #expect(try evidence("ingest", input.path).status == 0)
        for asset in try assets() {
            let id = try #require(asset["id"] as? String)
            let name = try #require(asset["originalName"] as? String)
            let original = try Data(contentsOf: input.appendingPathComponent((name as NSString).lastPathComponent))
            #expect(try evidence("cat", id).stdout == original)
        }
        // Every decrypting read was audited, and the chain still checks.
        let audit = try evidence("audit", "--json")
        let entries = try #require(try JSONSerialization.jsonObject(with: audit.stdout) as? [[String: Any]])
        #expect(entries.filter { $0["action"] as? String == "cat" }.count == 5)
        #expect(try evidence("audit", "verify").status == 0)
        let walker = FileManager.default.enumerator(atPath: library)
        for case let path as String in walker ?? FileManager.default.enumerator(atPath: "/")! {
            let full = (library as NSString).appendingPathComponent(path)
            guard let data = FileManager.default.contents(atPath: full) else { continue }
            #expect(data.range(of: Data(marker.utf8)) == nil, "marker found in \(path)")
            #expect(data.range(of: Data("PUPIL_".utf8)) == nil, "original name found in \(path)")
        }
    }

    /// `unlock` keeps the key in a session agent: later commands need no passphrase, until `lock`.
    @Test func unlockServesTheKeyUntilLock() throws {
        try makeLibrary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let runtime = dir.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: runtime, withIntermediateDirectories: true)
        let session = ["XDG_RUNTIME_DIR": runtime.path]
        let noPassphrase = session.merging(["EVIDENCE_PASSPHRASE": ""]) { $1 }
        #expect(try evidence("assets", env: noPassphrase).status == 3)
        #expect(try evidence("unlock", "--minutes", "1", env: session.merging(["EVIDENCE_PASSPHRASE": "wrong passphrase"]) { $1 }).status == 3)
        #expect(try evidence("assets", env: noPassphrase).status == 3)
        let unlocked = try evidence("unlock", "--minutes", "1", env: session)
        defer { _ = try? evidence("lock", env: session) }
        #expect(unlocked.status == 0, "\(unlocked.stderr)")
        let folder = runtime.appendingPathComponent("evidence").path
        let attributes = try FileManager.default.attributesOfItem(atPath: folder)
        #expect((attributes[.posixPermissions] as? Int ?? 0) & 0o077 == 0, "the agent's folder must be private")
        #expect(try evidence("assets", "--json", env: noPassphrase).status == 0)
        #expect(try evidence("audit", "--json", env: noPassphrase).json([[String: Any]].self).contains { $0["action"] as? String == "unlock" })
        // The agent was started with an empty environment: the passphrase is not in /proc/PID/environ.
        let agents = (try FileManager.default.contentsOfDirectory(atPath: "/proc")).filter { $0.allSatisfy(\.isNumber) }.filter {
            let command = FileManager.default.contents(atPath: "/proc/\($0)/cmdline").map { String(decoding: $0, as: UTF8.self) } ?? ""
            return command.contains("\0agent\0") && command.contains(library)
        }
        #expect(agents.count == 1, "one agent for this library: \(agents)")
        for pid in agents {
            let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") ?? Data()
            #expect(environ.range(of: Data("EVIDENCE_PASSPHRASE".utf8)) == nil && environ.range(of: Data("test passphrase".utf8)) == nil)
        }
        // The agent is non-dumpable: the kernel's flag, as the agent reads it (PR_GET_DUMPABLE), says so. (/proc's
        // ownership would show it too, but not to root, which CI runs as.)
        let status = try evidence("unlock", "--status", "--json", env: noPassphrase).json([String: Any].self)
        #expect(status["unlocked"] as? Bool == true && status["memoryProtected"] as? Bool == true, "\(status)")
        #expect((status["agentProcess"] as? Int).map(String.init) == agents.first, "\(status) \(agents)")
        // A client that connects and says nothing does not keep the agent (or lock) waiting.
        let silent = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(silent) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let agent = AgentSocket(library: URL(fileURLWithPath: library), runtimeDirectory: runtime.path)
        let socketPath = agent.path
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in socketPath.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
        }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(silent, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(try evidence("lock", env: session).text.contains("Locked"))
        #expect(!KeyAgent.isRunning(at: agent))
        #expect(try evidence("unlock", "--status", "--json", env: noPassphrase).json([String: Any].self)["unlocked"] as? Bool == false)
        #expect(try evidence("assets", env: noPassphrase).status == 3)
    }

    /// A file name from a card can hold a newline or a terminal escape: tables show it escaped, on one line.
    @Test func controlCharactersInNamesAreShownEscaped() throws {
        try makeLibrary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let card = dir.appendingPathComponent("card")
        try FileManager.default.createDirectory(at: card, withIntermediateDirectories: true)
        let photo = try Data(contentsOf: Fixtures.dcim().appendingPathComponent("102TABLET/20260701_093000.jpg"))
        // Padding after the end of the image (as some phones write) makes it new content, and is accepted.
        try (photo + Data(count: 5000)).write(to: card.appendingPathComponent("evil\nname\u{1B}[31m.jpg"))
        #expect(try evidence("ingest", card.path).status == 0)
        let table = try evidence("assets").text
        #expect(!table.contains("\u{1B}") && table.contains("evil\\nname\\u{1B}[31m.jpg"), "\(table)")
        let json = try evidence("assets", "--json").json([[String: Any]].self)
        #expect(json.contains { ($0["originalName"] as? String)?.hasSuffix("evil\nname\u{1B}[31m.jpg") == true }, "JSON keeps the name exactly")
    }

    /// A damaged file named like media fails (exit 1, the original kept even with --move); hidden files and
    /// folders are reported as skipped with a reason, never passed over in silence.
    @Test func damagedMediaFailsAndHiddenFilesAreSaid() throws {
        try makeLibrary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let card = dir.appendingPathComponent("card/DCIM")
        try FileManager.default.createDirectory(at: card.appendingPathComponent(".thumbnails"), withIntermediateDirectories: true)
        let video = try Data(contentsOf: Fixtures.dcim().appendingPathComponent("102TABLET/20260701_094500.mp4"))
        var broken = video
        broken[4] = 0x00  // the 'ftyp' box's magic, corrupted
        broken[5] = 0x00
        try broken.write(to: card.appendingPathComponent("VID_0001.MP4"))
        try Data("x".utf8).write(to: card.appendingPathComponent("._VID_0001.MP4"))
        try Data("y".utf8).write(to: card.appendingPathComponent(".thumbnails/t.jpg"))
        let result = try evidence("ingest", "--move", card.path, "--json")
        #expect(result.status == 1, "\(result.stderr)")
        let files = try #require(try result.json([String: Any].self)["files"] as? [[String: Any]])
        func status(_ suffix: String) -> String? { files.first { ($0["path"] as? String)?.hasSuffix(suffix) == true }?["status"] as? String }
        #expect(status("/VID_0001.MP4") == "failed")
        #expect(status("/._VID_0001.MP4") == "skipped")
        #expect(status("/.thumbnails") == "skipped")
        #expect(files.allSatisfy { $0["reason"] is String }, "every file not ingested says why")
        #expect(FileManager.default.fileExists(atPath: card.appendingPathComponent("VID_0001.MP4").path), "the original is kept")
    }

    @Test func wrongPassphraseExitsThree() throws {
        try makeLibrary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try evidence("assets", env: ["EVIDENCE_PASSPHRASE": "not the passphrase"])
        #expect(r.status == 3)
        #expect(r.stderr.contains("does not unlock"))
    }

    @Test(arguments: ["flip", "truncate", "swap"])
    func tamperingExitsFour(mode: String) throws {
        try makeLibrary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try makeInputs(count: 2, marker: "T")
        #expect(try evidence("ingest", input.path).status == 0)
        let ids = try assets().compactMap { $0["id"] as? String }
        func blob(_ id: String) -> URL {
            let hex = id.replacingOccurrences(of: "-", with: "")
            return URL(fileURLWithPath: library).appendingPathComponent("vault/\(hex.prefix(2))/\(hex.dropFirst(2))")
        }
        let target = blob(ids[0])
        var bytes = try Data(contentsOf: target)
        switch mode {
        case "flip": bytes[100] ^= 0x04
        case "truncate": bytes.removeLast(10)
        default:
            bytes = try Data(contentsOf: blob(ids[1]))
        }
        try bytes.write(to: target)
        let cat = try evidence("cat", ids[0])
        #expect(cat.status == 4)
        #expect(cat.stdout.isEmpty)
        #expect(cat.stderr.contains(ids[0]))
        let verify = try evidence("verify", "--read-data")
        #expect(verify.status == 4)
        #expect(verify.stderr.contains(ids[0]))
    }

    @Test func corruptNonMediaAndEmptyInputsFailPerFile() throws {
        try makeLibrary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try makeInputs(count: 2, marker: "C")
        try Data().write(to: input.appendingPathComponent("EMPTY.JPG"))
        try Data("hello".utf8).write(to: input.appendingPathComponent("readme.txt"))
        let good = try Data(contentsOf: input.appendingPathComponent("PUPIL_C_0.JPG"))
        try good.prefix(3000).write(to: input.appendingPathComponent("CUT.JPG"))
        let r = try evidence("ingest", input.path, "--json")
        #expect(r.status == 1)
        #expect(r.stderr.contains("EMPTY.JPG"))
        #expect(r.stderr.contains("CUT.JPG"))
        #expect(try assets().count == 2)
    }

    @Test(arguments: ["encrypted:3", "renamed:7", "committed:12"])
    func killNineMidIngestLeavesAConsistentLibrary(point: String) throws {
        try makeLibrary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try makeInputs(count: 50, marker: "K")
        let crashed = try evidence("ingest", input.path, env: ["EVIDENCE_FAULT": "kill-after:\(point)"])
        #expect(crashed.status != 0)
        let rerun = try evidence("ingest", input.path)
        #expect(rerun.status == 0)
        #expect(try evidence("verify", "--read-data").status == 0)
        #expect(try assets().count == 50)
        let tmp = try FileManager.default.contentsOfDirectory(atPath: library + "/tmp")
        #expect(tmp.isEmpty)
    }

    /// More files than one batch (32 per worker): every batch is synced and committed, and a kill -9 after the
    /// first batches are committed, with others written but not, leaves a library the next run completes.
    @Test func ingestCommitsInBatchesAndSurvivesAKillBetweenThem() throws {
        try makeLibrary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try makeInputs(count: 80, marker: "B")
        let crashed = try evidence("ingest", input.path, env: ["EVIDENCE_FAULT": "kill-after:committed:33"])
        #expect(crashed.status != 0)
        let committed = try assets().count
        #expect(committed >= 33 && committed < 80, "a batch or two committed, not everything: \(committed)")
        let rerun = try evidence("ingest", input.path, "--json")
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try assets().count == 80)
        #expect(try evidence("verify", "--read-data").status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: library + "/tmp").isEmpty)
        let vault = FileManager.default.enumerator(atPath: library + "/vault")?.allObjects.compactMap { $0 as? String } ?? []
        #expect(vault.filter { $0.contains("/") }.count == 80, "one blob per asset, the orphans swept: \(vault.count)")
    }

    @Test func moveDeletesOriginalsOnlyAfterVerifiedStorage() throws {
        try makeLibrary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try makeInputs(count: 3, marker: "M")
        try Data("not media".utf8).write(to: input.appendingPathComponent("keep.txt"))
        let r = try evidence("ingest", "--move", input.path)
        #expect(r.status == 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: input.path)
        #expect(left == ["keep.txt"])
        #expect(try assets().count == 3)
        #expect(try evidence("verify", "--read-data").status == 0)
    }

    @Test(arguments: ["duplicate", "reorder"])
    func chunkSplicingIsDetected(mode: String) throws {
        try makeLibrary()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A sample video of several 64 KiB chunks.
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Fixtures.dcim().appendingPathComponent("103MIXED/MVI_0008.avi"),
            to: input.appendingPathComponent("v.avi")
        )
        #expect(try evidence("ingest", input.path).status == 0)
        let id = try #require(try assets().first?["id"] as? String)
        let hex = id.replacingOccurrences(of: "-", with: "")
        let path = URL(fileURLWithPath: library).appendingPathComponent("vault/\(hex.prefix(2))/\(hex.dropFirst(2))")
        var bytes = try Data(contentsOf: path)
        let chunk = 65_536 + 16
        let c0 = bytes.subdata(in: 64..<(64 + chunk))
        let c1 = bytes.subdata(in: (64 + chunk)..<(64 + 2 * chunk))
        if mode == "duplicate" {
            bytes.replaceSubrange((64 + chunk)..<(64 + 2 * chunk), with: c0)
        } else {
            bytes.replaceSubrange(64..<(64 + 2 * chunk), with: c1 + c0)
        }
        try bytes.write(to: path)
        let cat = try evidence("cat", id)
        #expect(cat.status == 4)
        #expect(cat.stdout.count <= 65_536)
        #expect(try evidence("verify", "--read-data").status == 4)
    }

    /// A write limit (`ulimit -f`, EFBIG) stands in for a full disk: the file is named, nothing half-stored remains,
    /// and a re-run with space completes.
    @Test func fullDiskIsReportedAndRecoverable() throws {
        try makeLibrary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try makeInputs(count: 2, marker: "F")
        try FileManager.default.copyItem(
            at: Fixtures.dcim().appendingPathComponent("103MIXED/MVI_0008.avi"),
            to: input.appendingPathComponent("BIG.avi")
        )
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "ulimit -f 100; exec \"$0\" ingest \"$1\"", Self.binary, input.path]
        var environment = ProcessInfo.processInfo.environment
        environment["EVIDENCE_PASSPHRASE"] = "test passphrase 123"
        environment["EVIDENCE_LIBRARY"] = library
        environment["EVIDENCE_TIMEZONE"] = "Europe/London"
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(stderr.contains("BIG.avi"))
        #expect(stderr.contains("disk is full"))
        #expect(try evidence("verify", "--read-data").status == 0)
        #expect(try evidence("ingest", input.path).status == 0)
        #expect(try assets().count == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: library + "/tmp").isEmpty)
    }

    /// chmod 000 stops only non-root users, so as root (CI) the whole run drops to `nobody` with setpriv.
    @Test func unreadableFileFailsByNameAndOthersCarryOn() throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try makeInputs(count: 2, marker: "U")
        for path in [dir.path, dir.appendingPathComponent("card").path, input.path] {
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: path)
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: input.path) {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: input.appendingPathComponent(name).path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: input.appendingPathComponent("PUPIL_U_1.JPG").path)
        func run(_ args: [String]) throws -> (Int32, String) {
            let process = Process()
            let asRoot = getuid() == 0
            process.executableURL = URL(fileURLWithPath: asRoot ? "/usr/bin/setpriv" : Self.binary)
            process.arguments = asRoot ? ["--reuid=65534", "--regid=65534", "--clear-groups", Self.binary] + args : args
            var environment = ProcessInfo.processInfo.environment
            environment["EVIDENCE_PASSPHRASE"] = "test passphrase 123"
            environment["EVIDENCE_LIBRARY"] = library
            process.environment = environment
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        #expect(try run(["init", "--kdf", "interactive"]).0 == 0)
        let (status, stderr) = try run(["ingest", input.path])
        #expect(status == 1)
        #expect(stderr.contains("PUPIL_U_1.JPG"))
        #expect(stderr.contains("permission denied"))
        #expect(try run(["verify", "--read-data"]).0 == 0)
    }
}
