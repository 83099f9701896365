import ArgumentParser
import Catalogue
import EvidenceKit
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `evidence clip MOMENT|ASSET -o OUT.mp4`.
struct Clip: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clip",
        abstract: "Cut a moment (m12) or a range of a video out of the encrypted vault, without decrypting the rest.",
        discussion: """
            Default: stream copy from the keyframe at or before the start (fast, lossless; may start slightly early).
            --exact re-encodes the video of the range (H.264) so the clip starts on the requested frame.
            Rotation is kept and creation_time is the moment's real time. The clip is plaintext: keep it safe.
            """
    )
    @OptionGroup var options: LibraryOptions
    @Argument(help: "A moment id (m12) or an asset id.") var target: String
    @Option(
        help: "Start (HH:MM:SS.mmm, MM:SS or seconds); for a moment, counted from its start (default: its start).")
    var from: String?
    @Option(help: "End, counted like --from; default the moment's end (or the end of the video).") var to: String?
    @Option(help: "Length of the clip (instead of --to), e.g. 5 or 00:10.") var duration: String?
    @Option(name: .shortAndLong, help: "The clip file to write (.mp4, .mov or .mkv), or - for standard output (Matroska).")
    var output: String?
    @Flag(help: "Store the clip as a new encrypted asset linked to its source, instead of writing a file.")
    var intoVault = false
    @Flag(help: "Start exactly on the requested frame (re-encodes the video of the range).") var exact = false
    @Flag(help: "Print JSON on stdout.") var json = false
    @OptionGroup var override: OverrideOptions

    func validate() throws {
        if output == nil && !intoVault { throw ValidationError("Give -o FILE to write the clip, or --into-vault to store it encrypted.") }
        if output != nil && intoVault { throw ValidationError("Choose one of -o FILE and --into-vault.") }
        if output == "-" && json { throw ValidationError("-o - writes the clip to standard output, so --json cannot.") }
    }

    func run() async throws {
        try await reportingErrors {
            let session = try options.session()
            let (start, end) = try parseRange(from: from, to: to)
            let length = try duration.map { (text) throws(EvidenceError) in try TimeCode.milliseconds(text, field: Field("duration")) }
            let clipTarget = try Clipper(session).clipTarget(target, from: start, to: end, duration: length)
            if intoVault {
                let stored = try await Clipper(session).clipIntoVault(clipTarget, exact: exact, reason: override.reason)
                if json { return try Terminal.printJSON(stored) }
                return Terminal.print(
                    "\(stored.isNew ? "Stored" : "Already stored:") clip \(stored.asset) (\(String(format: "%.2f", stored.durationSeconds)) s), linked to \(stored.source.short).")
            }
            guard let output else { return }
            if output == "-" {
                if isatty(STDOUT_FILENO) == 1 {
                    throw EvidenceError(.usage, "Refusing to write video to the terminal. Redirect it: evidence clip \(target) -o - > clip.mkv, or pipe it.")
                }
                let result = try Clipper(session).clip(
                    clipTarget, output: "pipe:1", exact: exact, formatName: "matroska", reason: override.reason)
                return OverrideOptions.warn(result.warnings)
            }
            let clearance = try session.checkConsent(
                for: clipTarget.asset, occurredAt: clipTarget.asset.capturedAt.addingTimeInterval(Double(clipTarget.startMs) / 1000),
                reason: override.reason)
            OverrideOptions.warn(clearance.warnings)
            Terminal.error("warning: writing decrypted video to \(output); this is audited. Delete it when you are done.")
            let result = try Clipper(session).clip(clipTarget, output: output, exact: exact, reason: override.reason)
            if let why = result.fullReencodeReason { Terminal.note("Note: \(why).") }
            if json { return try Terminal.printJSON(result) }
            let how =
                !exact ? "stream copy"
                : result.fullReencodeReason == nil ? "smart cut: \(result.reencodedFrames) frames re-encoded, the rest copied"
                : "re-encoded"
            Terminal.print(
                String(
                    format: "Wrote %@: %.2f s from %.3f s (%@); decrypted %@ of %@.", output, result.durationSeconds,
                    result.sourceStartSeconds, how, Terminal.bytes(result.bytesDecrypted), Terminal.bytes(result.sourceBytes)))
        }
    }
}

/// `evidence play MOMENT`: streams the decrypted clip into a player, never to disk.
struct Play: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play a moment (or a range of a video) with ffplay or mpv, streamed from the vault through a pipe.")
    @OptionGroup var options: LibraryOptions
    @Argument(help: "A moment id (m12) or an asset id.") var target: String
    @Option(help: "Start; default the moment's start.") var from: String?
    @Option(help: "End; default the moment's end.") var to: String?
    @Option(help: "The player program (default: ffplay, else mpv).") var player: String?
    @OptionGroup var override: OverrideOptions

    func run() async throws {
        try await reportingErrors {
            let candidates = player.map { [$0] } ?? ["ffplay", "mpv"]
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            let found = candidates.lazy.compactMap { name -> String? in
                if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
                return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
            }.first
            guard let found else {
                throw EvidenceError(
                    .usage,
                    "No video player found (looked for \(candidates.joined(separator: ", "))). Install one with `sudo apt-get install ffmpeg` (ffplay) or `sudo apt-get install mpv`, or cut a file with `evidence clip`."
                )
            }
            let session = try options.session()
            let (start, end) = try parseRange(from: from, to: to)
            let clipTarget = try Clipper(session).clipTarget(target, from: start, to: end)
            // The gate decides before a player is started (the clip itself checks again and audits).
            let clearance = try session.checkConsent(
                for: clipTarget.asset, occurredAt: clipTarget.asset.capturedAt.addingTimeInterval(Double(clipTarget.startMs) / 1000),
                reason: override.reason)
            OverrideOptions.warn(clearance.warnings)
            let pipe = Pipe()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: found)
            let isMPV = (found as NSString).lastPathComponent.hasPrefix("mpv")
            process.arguments = isMPV ? ["--really-quiet", "-"] : ["-autoexit", "-loglevel", "error", "-i", "pipe:0"]
            process.standardInput = pipe.fileHandleForReading
            try process.run()
            let fd = pipe.fileHandleForWriting.fileDescriptor
            _ = try Clipper(session).clip(clipTarget, output: "pipe:\(fd)", formatName: "matroska", reason: override.reason)
            try pipe.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }
}
