import Foundation
import GRDB
import TestSupport
import Testing

/// A clip's plaintext has no name until it is complete: a kill -9 before, during or after the cut leaves nothing in
/// the output folder, hidden files included; `-o -` writes to standard output.
@Suite(.serialized) struct ClipOutputTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-clipout-\(UUID().uuidString)")

    /// A library with the sample tablet's media, its video's id and an empty output folder.
    func prepare() throws -> (video: String, out: URL) {
        try makeLibrary()
        #expect(try evidence("ingest", Fixtures.dcim().appendingPathComponent("102TABLET").path).status == 0)
        let video = try #require(try assets().first { $0["kind"] as? String == "video" }?["id"] as? String)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        return (video, out)
    }

    @Test func aKilledClipLeavesNoPlaintextAndStdoutWorks() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, out) = try prepare()
        for point in ["kill-after:clip-audited:1", "kill-after:clip-read:2", "kill-after:clip-cut:1"] {
            let r = try evidence(
                "clip", video, "--from", "0.5", "--to", "3", "--exact", "-o", out.appendingPathComponent("c.mp4").path,
                env: ["EVIDENCE_FAULT": point])
            #expect(r.status != 0, "\(point): the process was not killed")
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty, "\(point): a file was left")
            #expect(try evidence("assets").status == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty, "\(point): after the next command")
        }
        // Unkilled, the clip appears complete, private to its owner.
        let done = out.appendingPathComponent("done.mp4")
        #expect(try evidence("clip", video, "--from", "0.5", "--to", "3", "--exact", "-o", done.path).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: done.path)
        #expect((attributes[.posixPermissions] as? Int ?? 0) & 0o077 == 0, "a decrypted clip is readable by others")
        // -o - streams Matroska to standard output and writes no file.
        let piped = try evidence("clip", video, "--from", "0.5", "--to", "2", "-o", "-")
        #expect(piped.status == 0 && piped.stdout.count > 1000, "\(piped.stderr)")
        #expect(piped.stdout.prefix(4) == Data([0x1A, 0x45, 0xDF, 0xA3]), "Matroska's EBML magic")
        #expect(!FileManager.default.fileExists(atPath: "-"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["done.mp4"])
    }

    /// Audit before output: while another process holds the catalogue's write lock, `clip` cannot audit, so it writes
    /// nothing; killed while it waits, it leaves nothing; once the lock is released it audits, then writes.
    @Test func aClipWaitsForItsAuditBeforeWritingAByte() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, out) = try prepare()
        let clip = out.appendingPathComponent("c.mp4")
        let clipsAudited = { () throws -> Int in
            try evidence("audit", "--json").json([[String: Any]].self).filter { $0["action"] as? String == "clip" }.count
        }

        for killWhileWaiting in [true, false] {
            // Another process's writer, as a separate connection: it takes the write lock and keeps it until told.
            let holder = try DatabaseQueue(path: library + "/catalogue.sqlite")
            let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), released = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                try? holder.inDatabase { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    locked.signal()
                    release.wait()
                    try db.execute(sql: "ROLLBACK")
                }
                released.signal()
            }
            locked.wait()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = ["clip", video, "--from", "0.5", "--to", "2", "-o", clip.path]
            var environment = ProcessInfo.processInfo.environment
            environment["EVIDENCE_PASSPHRASE"] = "test passphrase 123"
            environment["EVIDENCE_LIBRARY"] = library
            environment["EVIDENCE_STAFF"] = "test-teacher"
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Long enough to open the library, read the asset and reach the audit write (it then waits on the lock).
            Thread.sleep(forTimeInterval: 2)
            #expect(process.isRunning, "clip did not wait for the lock")
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty, "output before its audit")
            if killWhileWaiting { kill(process.processIdentifier, SIGKILL) }
            release.signal()
            released.wait()
            process.waitUntilExit()
            if killWhileWaiting {
                #expect(process.terminationStatus != 0)
                #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty, "a killed clip left a file")
                #expect(try clipsAudited() == 0)
            } else {
                #expect(process.terminationStatus == 0)
                #expect(FileManager.default.fileExists(atPath: clip.path))
                #expect(try clipsAudited() == 1, "the clip was written and audited")
            }
        }
    }
}
