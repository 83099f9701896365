import ArgumentParser
import Catalogue
import Documents
import EvidenceKit
import Foundation

/// `evidence report KIND …`: the documents schools owe, from the evidence.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a report: pupil progress, EHC review, parent report, moderation, or the DfE return.",
        discussion: """
            Reports are HTML files that open offline in any browser (print them to PDF from there). Each goes through \\
            the consent gate and is audited before it is written, naming every pupil it shows.
            """,
        subcommands: [PupilProgress.self, EHCReview.self, ParentYear.self, Moderation.self, DfEReturnCommand.self])

    /// Where a report goes, shared by the HTML reports.
    struct Output: ParsableArguments {
        @Option(name: [.customShort("o"), .long], help: "The HTML file to write (readable only by you).") var output: String?
        @Flag(help: "Print the data behind the report as JSON instead.") var json = false
        @Flag(inversion: .prefixedNo, help: "Embed poster frames of photos and video moments.") var posters = true
        @Option(help: "Also print it to this PDF with headless Chromium (when installed).") var pdf: String?

        func validate() throws {
            guard json || output != nil || pdf != nil else {
                throw ValidationError("Say where to write the report with -o FILE.html or --pdf FILE.pdf (or use --json).")
            }
        }

        /// Writes the HTML (or the JSON) and says where.
        func write<T: Encodable>(_ report: T, html: (T) throws(DocumentError) -> String) throws {
            if json { return try Terminal.printJSON(report) }
            let text: String
            do { text = try html(report) } catch { throw EvidenceError(.failure, error.description) }
            if let output {
                try PrivateDocument.write(Data(text.utf8), to: output)
                Terminal.note("Wrote \(output).")
            }
            if let pdf {
                try PDFPrinter.print(text, to: pdf)
                Terminal.note("Wrote \(pdf).")
            }
        }
    }

    /// The pupil and period of the internal per-pupil reports.
    struct PupilPeriod: ParsableArguments {
        @Argument(help: "The pupil.") var pupil: String
        @Option(help: "A term or year (autumn-2026, year-2026); default: this school year.") var period: String?
        @Option(help: "Weeks between recurrences that count as maintained.") var gapWeeks = 4
    }

    struct PupilProgress: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pupil",
            abstract: "The working document for progress meetings: per area, the judgement, the evidence and the forms of progress it shows.")
        @OptionGroup var options: LibraryOptions
        @OptionGroup var subject: PupilPeriod
        @OptionGroup var output: Output
        @OptionGroup var override: OverrideOptions

        func run() async throws {
            try await reportingErrors {
                let report = try PupilReporter(try options.session()).report(
                    subject.pupil, period: subject.period, gapWeeks: subject.gapWeeks, posters: output.posters,
                    reason: override.reason)
                OverrideOptions.warn(report.warnings)
                try output.write(report, html: ReportHTML.pupil)
            }
        }
    }

    struct EHCReview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ehc",
            abstract: "Evidence for the EHC plan annual review, by outcome: the earliest and latest moment side by side.")
        @OptionGroup var options: LibraryOptions
        @OptionGroup var subject: PupilPeriod
        @OptionGroup var output: Output
        @OptionGroup var override: OverrideOptions

        func run() async throws {
            try await reportingErrors {
                let report = try EHCReporter(try options.session()).report(
                    subject.pupil, period: subject.period, gapWeeks: subject.gapWeeks, posters: output.posters,
                    reason: override.reason)
                OverrideOptions.warn(report.warnings)
                try output.write(report, html: ReportHTML.ehc)
            }
        }
    }

    struct ParentYear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parent",
            abstract: "The end-of-year report for the family, in plain words, with only what consent lets leave the school.",
            discussion: """
                A moment is in it only if the pupil's family-sharing consent was granted on its day and is still in \\
                force, the media was checked for who else is visible, and every other child shown has agreed to \\
                appear in others' evidence. No other child's name appears. --manifest lists what was left out and \\
                why, for staff.
                """)
        @OptionGroup var options: LibraryOptions
        @Argument(help: "The pupil.") var pupil: String
        @Option(help: "The school year, by the year it ends in (2027 for 2026–27).") var year: Int
        @Option(help: "Also write a CSV for staff: moment, observation, date, asset, included, reason.") var manifest: String?
        @OptionGroup var output: Output

        func run() async throws {
            try await reportingErrors {
                let report = try ParentReporter(try options.session()).report(pupil, year: year, posters: output.posters)
                if let manifest {
                    let lines = [CSVText.line(ManifestRow.header)] + report.manifest.map { CSVText.line($0.fields) }
                    try PrivateDocument.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: manifest)
                    Terminal.note("Wrote the manifest \(manifest).")
                }
                try output.write(report, html: ReportHTML.parent)
            }
        }
    }

    struct Moderation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "moderation",
            abstract: "Moments coded independently by two or more staff, side by side, with agreement per area (Krippendorff's alpha).")
        @OptionGroup var options: LibraryOptions
        @Option(help: "A term or year; default: this school year.") var period: String?
        @Option(name: .customLong("class"), help: "Only pupils in this class.") var className: String?
        @Option(help: "A reproducible sample of this many moments.") var sample: Int?
        @OptionGroup var output: Output

        func run() async throws {
            try await reportingErrors {
                let report = try ModerationReporter(try options.session()).report(period: period, className: className, sample: sample)
                OverrideOptions.warn(report.warnings)
                try output.write(report, html: ReportHTML.moderation)
            }
        }
    }

    struct DfEReturnCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dfe-return",
            abstract: "The end of key stage 2 return: pupils assessed with the engagement model, as a CSV.",
            discussion: """
                Lists year 6 pupils flagged with `evidence pupils edit P --engagement-model` (year 2 with \\
                --key-stage 1): UPN,Surname,Forename,DOB,Reading,Writing,Maths with DOB as DD/MM/YYYY and the \\
                outcome code EM in each subject, as the STA's "Key stage 2: submitting teacher assessment data" \\
                guidance describes (gov.uk/government/publications/key-stage-2-submitting-teacher-assessment-data). \\
                Import it into your MIS (or the STA's template): the STA itself takes a CTF file from the MIS. \\
                A pupil without a UPN or date of birth is an error listing who.
                """)
        @OptionGroup var options: LibraryOptions
        @Option(help: "The school year, by the year it ends in (2027 for 2026–27).") var year: Int
        @Option(help: "2 (the default) or 1, for schools that still return key stage 1.") var keyStage = 2
        @Option(name: [.customShort("o"), .long], help: "The CSV file to write (default: standard output).") var output: String?
        @Flag(help: "Print the rows as JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let made = try DfEReturnMaker(try options.session()).make(year: year, keyStage: keyStage)
                if json { return try Terminal.printJSON(made) }
                guard let output else { return Terminal.write(Data(made.csv.utf8), to: 1) }
                try PrivateDocument.write(Data(made.csv.utf8), to: output)
                Terminal.note("Wrote \(output): \(made.rows.count) pupil(s).")
            }
        }
    }
}
