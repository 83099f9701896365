import ArgumentParser
import Catalogue
import Documents
import EvidenceKit
import Foundation

/// `evidence share parent P -o DIR`: an encrypted bundle a family opens in a browser.
struct Share: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Share a pupil's evidence with their family: an encrypted folder that opens in any browser with a passphrase.",
        subcommands: [ParentBundle.self])

    struct ParentBundle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parent",
            abstract: "Write an encrypted bundle of a pupil's moments that consent lets leave the school.",
            discussion: """
                A moment is included only if the pupil's family-sharing consent was granted on its day and is still \\
                in force, its media was checked for who else is visible, and every other child shown has agreed to \\
                appear in others' evidence. Videos are cut with no source metadata; photos are re-encoded with no \\
                EXIF or GPS; captions come from the tags, never from notes.
                The passphrase (six words) is printed once on stderr and never stored: give it to the family apart \\
                from the bundle. Put the folder on the school's website (https) or a USB stick; do not email it. \\
                Once copied it cannot expire or be taken back. Format: Docs/share-format.md.
                """)
        @OptionGroup var options: LibraryOptions
        @Argument(help: "The pupil.") var pupil: String
        @Option(name: [.customShort("o"), .long], help: "The folder to write (must not exist yet).") var output: String
        @Option(help: "A term or year (year-2026, autumn-2026); default: this school year.") var period: String?
        @Option(help: "A short message from the teacher, shown above the moments.") var message: String?
        @Option(help: "A file holding a passphrase the school chose (at least 60 bits; default: six generated words).")
        var bundlePassphraseFile: String?
        @Option(help: "Also write what was included and left out, and why, as JSON (for staff).") var manifest: String?
        @Flag(help: "Print what was included and left out as JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let session = try options.session()
                let passphrase: String
                if let bundlePassphraseFile {
                    guard let data = FileManager.default.contents(atPath: bundlePassphraseFile) else {
                        throw EvidenceError(.usage, "Could not read \(bundlePassphraseFile).", field: Field("bundle-passphrase-file"), value: bundlePassphraseFile)
                    }
                    let text = String(decoding: data, as: UTF8.self)
                    guard SharePassphrase.estimatedBits(text) >= 60 else {
                        throw EvidenceError(
                            .usage, "That passphrase is too easy to guess (under 60 bits by a simple estimate): use six words, or leave it to evidence.",
                            field: Field("bundle-passphrase-file"))
                    }
                    passphrase = SharePassphrase.normalised(text)
                } else {
                    do { passphrase = try SharePassphrase.generate() } catch let error as DocumentError {
                        throw EvidenceError(.failure, error.description)
                    }
                }
                let share = ParentShare(session)
                let (found, items, chosen) = try share.select(pupil, period: period)
                try share.audit(items, for: found)
                try ShareBundle.write(
                    to: URL(fileURLWithPath: output), passphrase: passphrase,
                    forename: found.preferredName ?? found.nameParts.forename, madeOn: session.today, message: message,
                    items: items, make: share.file)
                if let manifest {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                    try PrivateDocument.write(try encoder.encode(chosen), to: manifest)
                }
                // One line, on stderr, never stored: the only copy the school gets.
                if bundlePassphraseFile == nil { Terminal.write(Data("Passphrase: \(passphrase)\n".utf8), to: 2) }
                if json { return try Terminal.printJSON(chosen) }
                Terminal.print(
                    "Wrote \(output): \(items.count) moment(s) for \(found.handle)'s family; \(chosen.excluded.count) left out (see --manifest). Open \(output)/index.html in a browser.")
            }
        }
    }
}

/// `evidence shares`: what has been shared, from the audit log.
struct Shares: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the bundles shared so far (when, by whom, for whom, how many moments).")
    @OptionGroup var options: LibraryOptions
    @Flag(help: "Print JSON on stdout.") var json = false

    func run() async throws {
        try await reportingErrors {
            let session = try options.session()
            let entries = try Auditor(session).auditEntries().filter { $0.action == "report-share" }
            // One share is one entry per pupil shown; its own pupil is the `for=` in the detail.
            let directory = try session.library.pupilDirectory()
            var shares: [SharedBundle] = []
            for entry in entries {
                let fields = Dictionary(
                    entry.detail.split(separator: " ").compactMap { part -> (String, String)? in
                        let pair = part.split(separator: "=", maxSplits: 1)
                        return pair.count == 2 ? (String(pair[0]), String(pair[1])) : nil
                    }, uniquingKeysWith: { a, _ in a })
                guard let subject = fields["for"].flatMap(Int64.init), entry.pupil == directory.pupil(id: PupilID(subject))?.handle
                else { continue }
                shares.append(
                    SharedBundle(
                        at: entry.at, actor: entry.actor, pupil: entry.pupil ?? "?", count: Int(fields["items"] ?? "") ?? 0,
                        moments: (fields["moments"] ?? "").split(separator: ",").map(String.init)))
            }
            if json { return try Terminal.printJSON(shares) }
            if shares.isEmpty { return Terminal.note("Nothing has been shared yet.") }
            for share in shares {
                Terminal.print("\(share.at.formatted(date: .abbreviated, time: .shortened))  \(share.actor)  for \(share.pupil)'s family  \(share.count) moment(s)")
            }
        }
    }
}

/// One share, as `shares --json` prints it.
private struct SharedBundle: Encodable {
    var at: Date
    var actor: String
    var pupil: String
    var count: Int
    var moments: [String]
}
