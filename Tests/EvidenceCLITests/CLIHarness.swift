import Foundation
import Testing

/// The built `evidence`, next to this test runner in SwiftPM's bin folder (whatever the build configuration).
let evidenceBinary: String = {
    let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("evidence").path
}()

/// Runs the built `evidence` binary against a library in a per-test temporary folder.
protocol CLIHarness {
    /// The test's own folder (removed at the end of each test).
    var dir: URL { get }
}

/// What a command printed and returned.
struct CLIResult {
    var status: Int32
    var stdout: Data
    var stderr: String
    var text: String { String(decoding: stdout, as: UTF8.self) }
    /// stdout parsed as JSON.
    func json<T>(_ type: T.Type = [String: Any].self) throws -> T {
        try #require(try JSONSerialization.jsonObject(with: stdout) as? T, "not JSON: \(text) \(stderr)")
    }
}

extension CLIHarness {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    static var binary: String { evidenceBinary }
    var library: String { dir.appendingPathComponent("lib").path }

    @discardableResult
    func evidence(_ args: String..., env: [String: String] = [:]) throws -> CLIResult {
        try evidence(arguments: args, env: env)
    }

    @discardableResult
    func evidence(arguments args: [String], env: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = args
        process.environment = environment(env)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Commands keep stderr short (one line per problem), so reading stdout first cannot dead-lock.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: o, stderr: String(decoding: e, as: UTF8.self))
    }

    /// A child's environment: this test's library, passphrase and teacher, with `extra` on top.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["EVIDENCE_PASSPHRASE"] = "test passphrase 123"
        environment["EVIDENCE_LIBRARY"] = library
        environment["EVIDENCE_STAFF"] = "test-teacher"
        // Pinned, so a test that sets the runner's own environment (ServiceLayerTests) cannot reach a child.
        environment["EVIDENCE_TIMEZONE"] = "Europe/London"
        for (k, v) in extra { environment[k] = v }
        return environment
    }

    func makeLibrary() throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let r = try evidence("init", "--kdf", "interactive")
        #expect(r.status == 0)
        // Everyone who acts must be on the staff list, the harness's teacher included.
        let staff = try evidence("staff", "add", "test-teacher", "--name", "Test Teacher")
        #expect(staff.status == 0, "\(staff.stderr)")
    }

    func assets() throws -> [[String: Any]] {
        try evidence("assets", "--json").json([[String: Any]].self)
    }

    /// Every byte of every file under the library (catalogue, WAL, vault, tmp), for plaintext scans.
    func libraryFiles() -> [(path: String, data: Data)] {
        var files: [(String, Data)] = []
        for case let path as String in FileManager.default.enumerator(atPath: library) ?? FileManager.default.enumerator(atPath: "/dev/null")! {
            if let data = FileManager.default.contents(atPath: (library as NSString).appendingPathComponent(path)) {
                files.append((path, data))
            }
        }
        return files
    }
}
