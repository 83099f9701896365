import ArgumentParser
import Catalogue
import Documents
import EvidenceKit
import Foundation

/// `evidence share parent P -o DIR` and `share moderation -o DIR`: encrypted bundles that open in a browser.
struct Share: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "Share evidence outside the school: an encrypted folder that opens in any browser with a passphrase.",
        subcommands: [ParentBundle.self, ModerationBundle.self])

    /// What every bundle takes: where it goes, its passphrase, a message, and the staff manifest.
    struct BundleOptions: ParsableArguments {
        @Option(name: [.customShort("o"), .long], help: "The folder to write (must not exist yet).") var output: String
        @Option(help: "A term or year (year-2026, autumn-2026); default: this school year.") var period: String?
        @Option(help: "A short message from the teacher, shown above the moments.") var message: String?
        @Option(help: "A file holding a passphrase the school chose (at least 60 bits; default: six generated words).")
        var bundlePassphraseFile: String?
        @Option(help: "Also write what was included and left out, and why, as JSON (for staff).") var manifest: String?
        @Flag(help: "Put the encrypted files in one bundle.zip beside the viewer (one file to upload or copy), not in bundle/.")
        var zip = false
        @Flag(help: "Print what was included and left out as JSON.") var json = false

        /// The bundle's passphrase: the school's (checked), or six generated words.
        func passphrase() throws -> String {
            guard let bundlePassphraseFile else {
                do { return try SharePassphrase.generate() } catch {
                    throw EvidenceError(.failure, error.description)
                }
            }
            guard let data = FileManager.default.contents(atPath: bundlePassphraseFile) else {
                throw EvidenceError(
                    .usage, "Could not read \(bundlePassphraseFile).", field: Field("bundle-passphrase-file"), value: bundlePassphraseFile)
            }
            let text = String(decoding: data, as: UTF8.self)
            guard SharePassphrase.estimatedBits(text) >= 60 else {
                throw EvidenceError(
                    .usage, "That passphrase is too easy to guess (under 60 bits by a simple estimate): use six words, or leave it to evidence.",
                    field: Field("bundle-passphrase-file"))
            }
            return SharePassphrase.normalised(text)
        }

        /// After the bundle is written: the manifest, the passphrase (once, on stderr, never stored), the summary.
        func finish(_ chosen: ShareManifest, passphrase: String, summary: String) throws {
            if let manifest {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                try PrivateDocument.write(try encoder.encode(chosen), to: manifest)
            }
            // One line, on stderr: the only copy the school gets.
            if bundlePassphraseFile == nil { Terminal.write(Data("Passphrase: \(passphrase)\n".utf8), to: 2) }
            if json { return try Terminal.printJSON(chosen) }
            Terminal.print(summary)
        }
    }

    struct ParentBundle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parent",
            abstract: "Write an encrypted bundle of a pupil's moments that consent lets leave the school.",
            discussion: """
                A moment is included only if the pupil's family-sharing consent was granted on its day and is still \
                in force, its media was checked for who else is visible, and every other child shown has agreed to \
                appear in others' evidence. Videos are cut with no source metadata; photos are re-encoded with no \
                EXIF or GPS; captions come from the tags, never from notes.
                The passphrase (six words) is printed once on stderr and never stored: give it to the family apart \
                from the bundle (--letter writes a page to print). Put the folder on the school's website (https) \
                or a USB stick; do not email it. Once copied it cannot expire or be taken back. Format: \
                Docs/share-format.md.
                """)
        @OptionGroup var options: LibraryOptions
        @Argument(help: "The pupil.") var pupil: String
        @OptionGroup var bundle: BundleOptions
        @Option(help: "Also write a one-page letter for the family with the passphrase and how to open it (HTML, to print).")
        var letter: String?

        func run() async throws {
            try await reportingErrors {
                let session = try options.session()
                let passphrase = try bundle.passphrase()
                let share = ParentShare(session)
                let (found, items, chosen) = try share.select(pupil, period: bundle.period)
                try share.audit(items, for: found)
                let forename = found.preferredName ?? found.nameParts.forename
                try ShareBundle.write(
                    to: URL(fileURLWithPath: bundle.output), passphrase: passphrase, forename: forename, madeOn: session.today,
                    message: bundle.message, items: items, zip: bundle.zip, make: share.file)
                if let letter {
                    do { try PrivateDocument.write(Data(try ShareLetter.html(forename: forename, passphrase: passphrase).utf8), to: letter) }
                    catch let error as DocumentError { throw EvidenceError(.failure, error.description) }
                }
                try bundle.finish(
                    chosen, passphrase: passphrase,
                    summary: "Wrote \(bundle.output): \(items.count) moment(s) for \(found.handle)'s family; \(chosen.excluded.count) left out (see --manifest). Open \(bundle.output)/index.html in a browser.")
            }
        }
    }

    struct ModerationBundle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "moderation",
            abstract: "Write an encrypted bundle for a moderator in another school: moments with moderation consent, pupils by initials, codings side by side.",
            discussion: """
                A moment is eligible when its media was checked for who is visible and every pupil it shows has \
                moderation consent on its day and today. --sample takes that many eligible moments, chosen \
                reproducibly. The same format and viewer as a family's bundle (Docs/share-format.md).
                """)
        @OptionGroup var options: LibraryOptions
        @Option(help: "How many eligible moments to send (all if fewer).") var sample: Int?
        @Option(name: .customLong("class"), help: "Only this class's pupils.") var className: String?
        @OptionGroup var bundle: BundleOptions

        func run() async throws {
            try await reportingErrors {
                let session = try options.session()
                let passphrase = try bundle.passphrase()
                let share = ModerationShare(session)
                let (items, chosen, pupils) = try share.select(period: bundle.period, className: className, sample: sample)
                try share.audit(items, showing: pupils)
                let maker = ParentShare(session)
                try ShareBundle.write(
                    to: URL(fileURLWithPath: bundle.output), passphrase: passphrase, kind: "moderation", forename: "",
                    madeOn: session.today, message: bundle.message, items: items, zip: bundle.zip, make: maker.file)
                try bundle.finish(
                    chosen, passphrase: passphrase,
                    summary: "Wrote \(bundle.output): \(items.count) moment(s) for moderation; \(chosen.excluded.count) left out (see --manifest).")
            }
        }
    }
}

/// `evidence shares`: what has been shared, from the audit log.
struct Shares: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "shares", abstract: "List the bundles shared so far (when, by whom, for whom, how many moments).")
    @OptionGroup var options: LibraryOptions
    @Flag(help: "Print JSON on stdout.") var json = false

    func run() async throws {
        try await reportingErrors {
            let session = try options.session()
            let entries = try Auditor(session).auditEntries().filter { $0.action == "report-share" }
            // One share is one entry per pupil shown; its own pupil is the `for=` in the detail.
            let directory = try session.library.pupilDirectory()
            var shares: [SharedBundle] = []
            var previous: (seq: Int64, detail: String)?
            for entry in entries {
                let fields = Dictionary(
                    entry.detail.split(separator: " ").compactMap { part -> (String, String)? in
                        let pair = part.split(separator: "=", maxSplits: 1)
                        return pair.count == 2 ? (String(pair[0]), String(pair[1])) : nil
                    }, uniquingKeysWith: { a, _ in a })
                let recipient: String
                if fields["for"] == "moderation" {
                    // One entry per pupil shown, written together: the transfer is listed once.
                    defer { previous = (entry.seq, entry.detail) }
                    guard previous.map({ $0.seq + 1 != entry.seq || $0.detail != entry.detail }) ?? true else { continue }
                    recipient = "a moderator"
                } else {
                    guard let subject = fields["for"].flatMap(Int64.init), entry.pupil == directory.pupil(id: PupilID(subject))?.handle
                    else { continue }
                    recipient = "\(entry.pupil ?? "?")'s family"
                }
                shares.append(
                    SharedBundle(
                        at: entry.at, actor: entry.actor, recipient: recipient, count: Int(fields["items"] ?? "") ?? 0,
                        moments: (fields["moments"] ?? "").split(separator: ",").map(String.init)))
            }
            if json { return try Terminal.printJSON(shares) }
            if shares.isEmpty { return Terminal.note("Nothing has been shared yet.") }
            for share in shares {
                Terminal.print("\(share.at.formatted(date: .abbreviated, time: .shortened))  \(share.actor)  for \(share.recipient)  \(share.count) moment(s)")
            }
        }
    }
}

/// One share, as `shares --json` prints it.
private struct SharedBundle: Encodable {
    var at: Date
    var actor: String
    var recipient: String
    var count: Int
    var moments: [String]
}
