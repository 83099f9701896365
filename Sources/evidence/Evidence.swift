import ArgumentParser
import EvidenceKit
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The `evidence` command: a private catalogue of classroom photo and video evidence.
@main
struct Evidence: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: "A private, encrypted catalogue of classroom photo and video evidence for the engagement model.",
        discussion: """
            Start with `evidence init`, then `evidence ingest /media/card/DCIM`.
            The library lives in ~/EvidenceLibrary unless --library or EVIDENCE_LIBRARY says otherwise.
            Exit codes: 0 ok, 1 some inputs failed, 2 usage, 3 wrong passphrase, 4 integrity failure,
            5 refused by consent.
            """,
        version: "0.1.0",
        subcommands: [
            Init.self, Ingest.self, Assets.self, Show.self, Cat.self, Verify.self, Probe.self, Pupils.self, Staff.self,
            Consent.self, Tag.self, Untag.self, EditObservation.self, Moments.self, Appearances.self, Vocab.self,
            ImportAnnotations.self, ExportAnnotations.self, Find.self, Restricted.self, Clip.self, Thumbnail.self, Play.self,
            Audit.self, JudgeCommand.self, Judgements.self, Report.self, Share.self, Shares.self, Serve.self,
            Unlock.self, Lock.self, Agent.self,
        ]
    )

    /// Parses, runs, and maps errors to the documented exit codes (ArgumentParser's 64 for usage becomes 2).
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        // A write past a file-size limit must fail with EFBIG (reported as a full disk), not kill the process.
        signal(SIGXFSZ, SIG_IGN)
        // The crash tests' kill -9 points (never set in normal use).
        if let fault = ProcessInfo.processInfo.environment["EVIDENCE_FAULT"] { FaultInjection.arm(fault) }
        do {
            var command = try parseAsRoot()
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                // One error style for every failure: `evidence: …`, as reportingErrors prints (never `Error: …`).
                var message = fullMessage(for: error)
                if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
                Terminal.error(message)
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}
