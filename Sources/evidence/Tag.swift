public import ArgumentParser
public import Catalogue
import EvidenceKit
import Foundation

/// `evidence tag ASSET …`: records what a pupil did in a moment.
struct Tag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Tag a moment of a video (or a whole photo) with a pupil's observation.",
        discussion: """
            Example: evidence tag 3f2a --from 01:12.4 --to 01:19 --pupil amira-k --area exploration,anticipation \\
                       --response stilling,head-turn,reaching --prompt gestural --setting "sensory room" --also leo-m
            Times: HH:MM:SS.mmm, MM:SS or seconds. A pupil needs capture consent on the day of the moment.
            A second, independent coding for moderation: run as another member of staff with `--coder second` on the
            same moment (asset and range) and pupil. It is never listed or counted as evidence; it feeds
            `evidence report moderation`.
            """
    )
    @OptionGroup var options: LibraryOptions
    @Argument(help: "Asset id (or its first characters); none with --source family.") var asset: String?
    @Option(help: "Start of the moment in the video.") var from: String?
    @Option(help: "End of the moment in the video.") var to: String?
    @Option(help: "The pupil observed (handle or unambiguous name start).") var pupil: String
    @OptionGroup var observed: ObservationOptions
    @Option(help: "Other pupils visible in the moment (repeat or comma-separate).") var also: [String] = []
    @Option(help: "Who observed it (a staff handle; default: the acting member of staff, --as).") var observer: String?
    @Option(help: "first (the evidence, the default) or second (an independent coding of a tagged moment, for moderation).")
    var coder: Coding = .first
    @Option(help: "media (the default: seen on the asset) or family (from home, as the family reported it; no asset, give --on).")
    var source: Origin = .media
    @Option(help: ArgumentHelp("With --source family: the day it happened.", valueName: "YYYY-MM-DD")) var on: String?
    @Option(help: ArgumentHelp("With --source family: the time it happened (default: not recorded, noon).", valueName: "HH:MM"))
    var at: String?

    func validate() throws {
        switch source {
        case .media:
            guard asset != nil else { throw ValidationError("Give the asset to tag (or --source family --on YYYY-MM-DD for an observation from home).") }
            guard on == nil, at == nil else { throw ValidationError("--on and --at are for --source family; a photo or video has its own time.") }
        case .family:
            guard asset == nil, from == nil, to == nil else { throw ValidationError("An observation from home has no asset, --from or --to.") }
            guard on != nil else { throw ValidationError("Say the day it happened with --on YYYY-MM-DD.") }
            guard coder == .first else { throw ValidationError("An observation from home cannot be coded a second time.") }
        }
    }
    @Flag(help: "Print JSON on stdout.") var json = false

    func run() async throws {
        try await reportingErrors {
            let session = try options.session()
            var draft = ObservationDraft(pupil: pupil, fields: observed.fields)
            draft.also = splitList(also)
            if source == .family, let on {
                let result = try Tagger(session).recordFromHome(day: on, time: at, draft: draft)
                if json { return try Terminal.printJSON(result) }
                return Terminal.print("Recorded \(result.observation), from home, in moment \(result.moment).")
            }
            let record = try session.library.resolveAsset(asset ?? "")
            let (start, end) = try parseRange(from: from, to: to)
            let result = try Tagger(session).tag(
                asset: record, from: start, to: end, draft: draft, observer: observer, coding: coder)
            if json { return try Terminal.printJSON(result) }
            Terminal.print(
                coder == .first
                    ? "Tagged \(result.observation) in moment \(result.moment)."
                    : "Recorded \(result.observation), a second coding of moment \(result.moment) (for moderation, not evidence).")
        }
    }
}

/// `evidence untag OBSERVATION…`.
struct Untag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "untag",
        abstract: "Remove observations (they stay in the history, marked removed by you).")
    @OptionGroup var options: LibraryOptions
    @Argument(help: "Observation ids, like o34 (see `evidence moments ASSET`).") var observations: [String]
    @Flag(help: "Print what was removed as JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let removed = try Tagger(try options.session()).untag(observations)
            if json { return try Terminal.printJSON(["removed": removed]) }
            Terminal.print("Removed \(removed.count) observation\(removed.count == 1 ? "" : "s").")
        }
    }
}

/// `evidence edit OBSERVATION …`.
struct EditObservation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change an observation; the old version is kept as history and the new one gets a new id.",
        discussion: "Only the options given change. An empty value (e.g. --note \"\") clears that field; --outcome 0 clears the outcome."
    )
    @OptionGroup var options: LibraryOptions
    @Argument(help: "Observation id, like o34.") var observation: String
    @OptionGroup var observed: ObservationOptions
    @Flag(help: "Print JSON on stdout.") var json = false

    func run() async throws {
        try await reportingErrors {
            var edit = ObservationEdit()
            edit.fields = observed.fields
            if observed.outcome == 0 { edit.fields.outcome = nil }  // --outcome 0 clears it
            edit.changed = observed.given
            let result = try Tagger(try options.session()).editObservation(observation, edit)
            if json { return try Terminal.printJSON(result) }
            Terminal.print("Saved as \(result.observation) (the old version is kept).")
        }
    }
}

extension Coding: ExpressibleByArgument {}
extension Origin: ExpressibleByArgument {}
