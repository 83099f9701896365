import ArgumentParser
import Catalogue
import EvidenceKit
import Foundation

/// `evidence judge P --area A --period T --text "…"`: the teacher's judgement of how established a pupil is.
struct JudgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "judge",
        abstract: "Record how established a pupil is in an area over a period, in words, with the evidence it rests on.",
        discussion: """
            A narrative, never a score: the guidance asks "how established, overall, the pupil is against each \\
            area". A newer judgement for the same area and period replaces the earlier one; both are kept.
            Example: evidence judge amira-k --area anticipation --period autumn-2026 \\
                       --text "Now stills and turns to the sound of the door before the song starts." --evidence o12,o40
            List them with `evidence judgements PUPIL [--period autumn-2026]`.
            """)
    @OptionGroup var options: LibraryOptions
    @Argument(help: "The pupil (handle or unambiguous name start).") var pupil: String
    @Option(help: "exploration, realisation, anticipation, persistence or initiation.") var area: String
    @Option(help: "A term or year: autumn-2026, spring-2027, summer-2027, year-2026.") var period: String
    @Option(help: "The judgement, in words.") var text: String
    @Option(help: "Observations it rests on (ids like o12; repeat or comma-separate).") var evidence: [String] = []
    @Flag(help: "Print JSON on stdout.") var json = false

    func run() async throws {
        try await reportingErrors {
            let view = try Judge(try options.session()).record(
                pupil: pupil, area: area, period: period, text: text, evidence: splitList(evidence))
            if json { return try Terminal.printJSON(view) }
            Terminal.print("Recorded the \(view.period) judgement of \(view.pupil) in \(view.area.rawValue).")
        }
    }
}

/// `evidence judgements P`: a pupil's judgements with their history.
struct Judgements: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "judgements", abstract: "List a pupil's judgements (every version, newest last).")
    @OptionGroup var options: LibraryOptions
    @Argument(help: "The pupil.") var pupil: String
    @Option(help: "Only this period (autumn-2026, year-2026…).") var period: String?
    @Flag(help: "Print JSON on stdout.") var json = false

    func run() async throws {
        try await reportingErrors {
            let session = try options.session()
            let found = try session.library.pupilDirectory().resolve(pupil)
            let views = try Judge(session).judgements(of: found, period: period)
            if json { return try Terminal.printJSON(views) }
            for view in views {
                Terminal.print(
                    "\(view.period) \(view.area.rawValue)\(view.replaced ? " (replaced)" : ""), by \(view.recordedBy): \(view.text)")
            }
        }
    }
}
