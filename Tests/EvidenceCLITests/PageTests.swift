import Catalogue
import EvidenceKit
@testable import EvidenceWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The tagging page (`evidence serve`): its range answers, its guard, its consent gate and audit, the live server's
/// address and lock, and a teacher's keyboard session in a real Chromium with nothing left in plaintext.
@Suite(.serialized) struct PageTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-page-\(UUID().uuidString)")

    // MARK: ranges

    @Test func rangeHeadersAreAnsweredAsDocumented() {
        let size: Int64 = 1000
        let cases: [(String?, ByteRange)] = [
            (nil, .whole),
            ("bytes=0-1", .partial(0...1)),  // Safari's probe
            ("bytes=0-", .partial(0...999)),
            ("bytes=500-", .partial(500...999)),  // open: every byte to the end, no cap
            ("bytes=-100", .partial(900...999)),  // suffix: the last 100, not the first 101
            ("bytes=-5000", .partial(0...999)),
            ("bytes=-0", .unsatisfiable),
            ("bytes=999-999", .partial(999...999)),
            ("bytes=1000-", .unsatisfiable),  // first byte at the end
            ("bytes=2000-3000", .unsatisfiable),
            ("bytes=990-5000", .partial(990...999)),  // last byte clamped
            ("bytes=10-19, 30-39", .partial(10...19)),  // several: the first
            ("bytes=2000-3000, 0-1", .unsatisfiable),  // several: the first decides
            (" Bytes=5-9 ", .partial(5...9)),
            ("bytes=9-5", .whole),  // malformed: ignored
            ("bytes=x-", .whole), ("bytes=-", .whole), ("bytes=", .whole), ("items=0-1", .whole), ("bytes=1-2-3", .whole),
            ("bytes=99999999999999999999-", .whole),  // too many digits for a size: ignored, never overflows
        ]
        for (header, expected) in cases {
            #expect(ByteRange.answer(header, size: size) == expected, "\(header ?? "none")")
        }
        #expect(ByteRange.answer("bytes=0-1", size: 0) == .unsatisfiable)
        #expect(ByteRange.answer("bytes=-1", size: 0) == .unsatisfiable)
    }

    @Test func rangeParsingNeverTrapsOnRandomHeaders() {
        var generator = SplitMix64(seed: 15)
        let alphabet = Array("bytes=-0123456789, x")
        for _ in 0..<5000 {
            let length = Int(generator.next() % 24)
            let header = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            let size = Int64(generator.next() % 3000)
            if case .partial(let range) = ByteRange.answer(header, size: size) {
                #expect(range.lowerBound >= 0 && range.upperBound < size, "\(header) of \(size)")
            }
        }
    }

    // MARK: the router

    /// A library with the fixtures, two pupils (Amira with capture consent, Tom without) and the harness's teacher.
    func prepare() throws -> (video: String, photo: String) {
        try makeLibrary()
        #expect(try evidence("ingest", Fixtures.dcim().path).status <= 1)
        #expect(try evidence("pupils", "add", "Amira Khan").status == 0)
        #expect(try evidence("pupils", "add", "Tomasz Byrne", "--preferred-name", "Tom").status == 0)
        #expect(try evidence("consent", "set", "amira-k", "capture", "granted", "--from", "2020-01-01").status == 0)
        let assets = try self.assets()
        func named(_ suffix: String) throws -> String {
            try #require(assets.first { ($0["originalName"] as? String)?.hasSuffix(suffix) == true }?["id"] as? String)
        }
        return (try named("20260701_094500.mp4"), try named("20260701_093000.jpg"))
    }

    func openSession() throws -> Session {
        let library = try Library.open(at: URL(fileURLWithPath: library), passphrase: "test passphrase 123")
        return try Session(library: library, acting: "test-teacher", login: "test")
    }

    /// The server's log lines, kept for the no-names check.
    final class LogLines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    @Test func theRouterGuardsEveryRouteAndServesExactRanges() async throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, photo) = try prepare()
        let plain = try evidence("cat", video).stdout
        #expect(plain.count > 10_000)
        let server = PageServer(session: try openSession(), idleMinutes: 30, lockSignal: nil)
        server.gate.port = 8765
        let log = LogLines()
        let app = server.application(port: 0, log: { log.append($0) }, ready: { _ in })
        let token = server.gate.token

        try await app.test(.router) { client in
            // Nothing without the cookie: 401 and no bytes of the library.
            for path in ["/inbox", "/assets/\(video)/media", "/assets/\(video)", "/static/page.js", "/"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(path)")
                    #expect(!String(buffer: response.body).contains("Amira"))
                }
            }
            try await client.execute(uri: "/open/\(String(repeating: "0", count: 64))", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.setCookie] == nil)
            }
            // The token works once.
            let cookie = try await client.execute(uri: "/open/\(token)", method: .get) { response in
                #expect(response.status == .seeOther)
                let set = try #require(response.headers[.setCookie])
                #expect(set.contains("HttpOnly") && set.contains("SameSite=Strict"))
                return String(try #require(set.split(separator: ";").first))
            }
            try await client.execute(uri: "/open/\(token)", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.setCookie] == nil)
            }
            let auth: HTTPFields = [.cookie: cookie]
            try await client.execute(uri: "/inbox", method: .get, headers: auth) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(String(buffer: response.body).contains("/assets/\(video)"), "the inbox links each item to its page")
            }

            // Ranges: 200 random ones, exactly the plaintext.
            func get(_ range: String?) async throws -> TestResponse {
                var headers = auth
                if let range { headers[.range] = range }
                return try await client.execute(uri: "/assets/\(video)/media", method: .get, headers: headers)
            }
            var generator = SplitMix64(seed: 1_500)
            let size = plain.count
            for _ in 0..<200 {
                let start = Int(generator.next() % UInt64(size))
                let end = min(size - 1, start + Int(generator.next() % 300_000))
                let response = try await get("bytes=\(start)-\(end)")
                #expect(response.status == .partialContent)
                #expect(response.headers[.contentRange] == "bytes \(start)-\(end)/\(size)")
                #expect(Data(response.body.readableBytesView) == plain[start...end], "bytes=\(start)-\(end)")
            }
            let whole = try await get(nil)
            #expect(whole.status == .ok && Data(whole.body.readableBytesView) == plain)
            #expect(whole.headers[.acceptRanges] == "bytes" && whole.headers[.contentType] == "video/mp4")
            #expect(whole.headers[.cacheControl] == "no-store")
            let probe = try await get("bytes=0-1")
            #expect(probe.status == .partialContent && Data(probe.body.readableBytesView) == plain[0...1])
            let suffix = try await get("bytes=-1000")
            #expect(suffix.status == .partialContent && Data(suffix.body.readableBytesView) == plain[(size - 1000)...])
            let open = try await get("bytes=\(size - 70_000)-")
            #expect(Data(open.body.readableBytesView) == plain[(size - 70_000)...], "bytes=N- runs to the end")
            let past = try await get("bytes=\(size)-")
            #expect(past.status == .rangeNotSatisfiable && past.headers[.contentRange] == "bytes */\(size)")
            #expect(past.body.readableBytes == 0)
            let clamped = try await get("bytes=\(size - 10)-\(size + 500)")
            #expect(clamped.status == .partialContent && Data(clamped.body.readableBytesView) == plain[(size - 10)...])
            let several = try await get("bytes=0-9, 100-199")
            #expect(several.status == .partialContent && Data(several.body.readableBytesView) == plain[0...9])

            // A change needs the page's own origin: missing or foreign gets 403 and changes nothing.
            let save = ByteBuffer(string: #"{"from":400,"to":1500,"pupil":"amira-k","fields":{"areas":["exploration"]}}"#)
            for origin in [nil, "http://evil.example", "http://127.0.0.1:9999"] {
                var headers = auth
                headers[.contentType] = "application/json"
                if let origin { headers[.origin] = origin }
                try await client.execute(uri: "/assets/\(video)/moments", method: .post, headers: headers, body: save) { response in
                    #expect(response.status == .forbidden, "\(origin ?? "no origin")")
                }
            }
            #expect(try evidence("moments", video, "--json").json([[String: Any]].self).isEmpty, "nothing was saved")
            var headers = auth
            headers[.contentType] = "application/json"
            headers[.origin] = "http://127.0.0.1:8765"
            try await client.execute(uri: "/assets/\(video)/moments", method: .post, headers: headers, body: save) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
            }
            // The same rules as `evidence tag`, the error as data beside its field.
            let refused = ByteBuffer(string: #"{"pupil":"tom-b","fields":{"areas":["exploration"]}}"#)
            try await client.execute(uri: "/assets/\(photo)/moments", method: .post, headers: headers, body: refused) { response in
                #expect(response.status == .unprocessableContent)
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: [String: String]]
                #expect(body?["error"]?["field"] == "pupil")
                #expect(body?["error"]?["message"]?.contains("consent") == true)
            }
            try await client.execute(uri: "/undo", method: .post, headers: headers) { response in
                #expect(response.status == .ok)
            }
            // A body the page would never send is a 400, and nothing is saved.
            try await client.execute(
                uri: "/assets/\(video)/moments", method: .post, headers: headers, body: ByteBuffer(string: "{not json")
            ) { response in
                #expect(response.status == .badRequest)
            }

            // A restricted pupil's media: 403 with an explanation, never bytes.
            #expect(try evidence("tag", photo, "--pupil", "amira-k", "--area", "initiation").status == 0)
            #expect(try evidence("consent", "set", "amira-k", "capture", "withdrawn").status == 0)
            for path in ["/assets/\(photo)/media", "/assets/\(photo)/poster", "/assets/\(photo)"] {
                try await client.execute(uri: path, method: .get, headers: auth) { response in
                    #expect(response.status == .forbidden, "\(path)")
                    #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                    #expect(String(buffer: response.body).contains("consent"))
                }
            }
        }

        // One `view` per asset per page session, as the acting teacher, before the first byte.
        let audit = try evidence("audit", "--json").json([[String: Any]].self)
        let views = audit.filter { $0["action"] as? String == "view" && ($0["asset"] as? String ?? $0["assetId"] as? String) == video }
        #expect(views.count == 1, "one view audited for the page session: \(audit.map { $0["action"] ?? "" })")
        #expect(views.allSatisfy { $0["actor"] as? String == "test-teacher" })
        let saves = audit.filter { $0["action"] as? String == "tag" }
        #expect(saves.first?["actor"] as? String == "test-teacher")
        // The log: method, path with ids, status; never a name.
        #expect(log.all.contains("GET /assets/\(video)/media 206"))
        #expect(log.all.contains("GET /open/… 303"))
        for line in log.all { #expect(!line.contains("Amira") && !line.contains("Khan") && !line.contains("Tom"), "\(line)") }
    }

    // MARK: the live server

    /// A running `evidence serve --port 0`, its start-up URL read from its one line of output.
    struct Served {
        let process: Process
        let url: String
        let errors: Pipe
        var port: Int { URLComponents(string: url)?.port ?? 0 }
        var token: String { String(url.split(separator: "/").last ?? "") }

        /// Stops it as Ctrl-C does; what it wrote on stderr.
        func stop() -> String {
            if process.isRunning { process.interrupt() }
            process.waitUntilExit()
            return String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
    }

    func serve(env: [String: String] = [:]) throws -> Served {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", "--port", "0"]
        process.environment = environment(env)
        let out = Pipe(), errors = Pipe()
        process.standardOutput = out
        process.standardError = errors
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        let url = text.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(url.hasPrefix("http://127.0.0.1:") && url.contains("/open/"), "one URL: \(url)")
        return Served(process: process, url: url, errors: errors)
    }

    /// The local addresses listening on `port`, from the kernel's socket tables.
    static func listeners(port: Int) -> [String] {
        var found: [String] = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            let text = (try? String(contentsOfFile: table, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 3, fields[3] == "0A" else { continue }  // LISTEN
                let local = fields[1].split(separator: ":")
                guard local.count == 2, Int(local[1], radix: 16) == port else { continue }
                found.append(String(local[0]))
            }
        }
        return found
    }

    @Test func theLiveServerListensOnLoopbackOnlyAndALockEndsEverySession() async throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try prepare()
        // Nobody on the staff list acting: the page would record saves as nobody, so it does not start.
        let nobody = try evidence("serve", "--port", "0", env: ["EVIDENCE_STAFF": ""])
        #expect(nobody.status == 2 && nobody.stderr.contains("staff"), "\(nobody.stderr)")
        let served = try serve()
        defer { _ = served.stop() }
        #expect(Self.listeners(port: served.port) == ["0100007F"], "127.0.0.1 and nothing else")

        let client = TestClient(host: "127.0.0.1", port: served.port)
        client.connect()
        let opened = try await client.execute(.init("/open/\(served.token)", method: .get))
        #expect(opened.status == .seeOther)
        let cookie = String(try #require(opened.headers[.setCookie]?.split(separator: ";").first))
        let inbox = try await client.execute(.init("/inbox", method: .get, headers: [.cookie: cookie]))
        #expect(inbox.status == .ok)
        #expect(try await client.execute(.init("/open/\(served.token)", method: .get)).status == .unauthorized, "once")

        // `evidence lock`: every session ends within two seconds, though this server got its key from the passphrase.
        #expect(try evidence("lock").status == 0)
        let locked = Date()
        var status = HTTPResponse.Status.ok
        while Date().timeIntervalSince(locked) < 2.0 {
            status = try await client.execute(.init("/inbox", method: .get, headers: [.cookie: cookie])).status
            if status == .unauthorized { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(status == .unauthorized, "401 within 2 s of the lock")
        let media = try await client.execute(.init("/static/page.js", method: .get, headers: [.cookie: cookie]))
        #expect(media.status == .unauthorized)
        try await client.shutdown()
        let errors = served.stop()
        #expect(errors.contains("closed"), "\(errors)")
        for name in ["Amira", "Khan", "Tomasz", "Byrne"] { #expect(!errors.contains(name)) }
    }

    // MARK: a teacher in Chromium

    /// Every file's bytes under `folder`.
    static func files(under folder: URL) -> [(path: String, data: Data)] {
        var found: [(String, Data)] = []
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        for case let path as String in walker {
            let full = folder.appendingPathComponent(path).path
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue,
                let data = FileManager.default.contents(atPath: full)
            {
                found.append((full, data))
            }
        }
        return found
    }

    @Test func aTeacherTagsAVideoWithTheKeyboardInChromiumAndNothingIsLeftInPlaintext() async throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (video, _) = try prepare()
        let frameRate = try #require(try assets().first { $0["id"] as? String == video }?["frameRate"] as? Double)
        let frameMs = 1000 / frameRate
        let tmp = dir.appendingPathComponent("tmp"), profile = dir.appendingPathComponent("chromium-profile")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let served = try serve(env: ["TMPDIR": tmp.path])
        let shots = Self.root.appendingPathComponent(".build/page-screenshots")
        let output = try ReportTests.python(
            [Self.root.appendingPathComponent("Tests/Browser/check_page.py").path, served.url, video, "Amira", "Tom", shots.path, profile.path],
            env: ["TMPDIR": tmp.path])
        let errors = served.stop()
        let page = try #require(
            try JSONSerialization.jsonObject(with: output) as? [String: Any], "\(String(decoding: output, as: UTF8.self))")

        #expect((page["inboxLinks"] as? [String])?.contains { $0.hasSuffix("/assets/\(video)") } == true, "a link to the video's page")
        #expect(page["areasPressed"] as? [String] == ["realisation", "persistence"])
        #expect((page["saved1"] as? String)?.hasPrefix("Saved m") == true, "\(page["saved1"] ?? "")")
        #expect((page["refusedChipText"] as? String)?.contains("consent") == true)
        #expect((page["refusedSaveText"] as? String)?.contains("consent") == true)
        #expect((page["undone"] as? String)?.hasPrefix("Undone") == true)
        #expect(page["helpKeys"] as? Int ?? 0 >= 10)
        #expect(page["tabletOverflow"] as? Bool == false, "nothing wider than a 768 px tablet")
        let console = (page["console"] as? [String] ?? []).filter { !$0.contains("422") }
        #expect(console.isEmpty, "\(console)")

        // What the library now holds: the first moment, at the keys' times (within a frame); the undone one
        // untagged; nothing for Tom.
        let moments = try evidence("moments", video, "--json").json([[String: Any]].self)
        let tagged = moments.filter { !(($0["observations"] as? [[String: Any]]) ?? []).isEmpty }
        #expect(tagged.count == 1, "\(moments)")
        let first = try #require(tagged.first)
        let marks = try #require(page["first"] as? [String: [Double]])
        let inWindow = try #require(marks["inWindow"]), outWindow = try #require(marks["outWindow"])
        let start = Double(first["startMs"] as? Int ?? -1), end = Double(first["endMs"] as? Int ?? -1)
        #expect(start >= inWindow[0] * 1000 - frameMs && start <= inWindow[1] * 1000 + frameMs, "in \(start) vs \(inWindow)")
        #expect(end >= outWindow[0] * 1000 - frameMs && end <= outWindow[1] * 1000 + frameMs, "out \(end) vs \(outWindow)")
        let observation = try #require((first["observations"] as? [[String: Any]])?.first)
        #expect(observation["pupil"] as? String == "amira-k")
        #expect(observation["areas"] as? [String] == ["realisation", "persistence"])
        #expect(observation["observer"] as? String == "test-teacher")
        #expect(observation["note"] as? String == "Reached for the drum twice")
        #expect(moments.count == 2, "the undone moment stays, with no current observation")
        #expect(!String(decoding: try evidence("find", "--pupil", "tom-b", "--json").stdout, as: UTF8.self).contains("\"o"))

        // Nothing the server wrote names a pupil or holds the note.
        for secret in ["Amira", "Khan", "Tomasz", "Byrne", "drum"] { #expect(!errors.contains(secret), "server output: \(secret)") }

        // No plaintext at rest: not the note, not the video's bytes, in the library, its tmp, TMPDIR or the profile.
        let plain = try evidence("cat", video).stdout
        let needles = [Data("Reached for the drum twice".utf8), plain[(plain.count / 2)..<(plain.count / 2 + 64)],
            plain[(plain.count / 4)..<(plain.count / 4 + 64)]]
        let scanned = libraryFiles().map { (path: $0.path, data: $0.data) } + Self.files(under: tmp) + Self.files(under: profile)
        #expect(Self.files(under: profile).count > 10, "the profile was written")
        for file in scanned {
            for needle in needles { #expect(file.data.range(of: needle) == nil, "plaintext in \(file.path)") }
        }
    }
}

