public import ArgumentParser
import Catalogue
import EvidenceKit
import Foundation

extension FindSort: ExpressibleByArgument {}
extension FindGrouping: ExpressibleByArgument {}

/// `evidence find …`: the query CLI over observations.
struct Find: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find observations by pupil, area, response, context, staff and date; or count them with --group-by.",
        discussion: """
            Filters combine (all must hold); a repeated or comma-separated filter matches any of its values.
            Examples:
              evidence find --pupil leo-m --area initiation --since autumn-2026 --without-staff ms-patel
              evidence find --pupil amira-k --group-by area        (where is evidence thin?)
              evidence find --untagged --asset-kind video          (media nobody has tagged yet)
            Dates: YYYY-MM-DD or a term: autumn-2026 (Sep–Dec), spring-2027 (Jan–Mar), summer-2027 (Apr–Aug), year-2026.
            """
    )
    @OptionGroup var options: LibraryOptions
    @Option(help: "Pupil(s).") var pupil: [String] = []
    @Option(help: "Engagement area(s); any of them (see --all-areas).") var area: [String] = []
    @Flag(help: "Require every --area, not any.") var allAreas = false
    @Option(help: "Observed response(s); any of them.") var response: [String] = []
    @Option(help: "intentional, reflexive or unsure.") var intent: String?
    @Option(help: "independent, gestural, verbal, modelled or physical.") var prompt: String?
    @Option(help: "Activity (exact).") var activity: String?
    @Option(help: "Setting (exact), e.g. \"sensory room\".") var setting: String?
    @Option(help: "With any of these staff.") var withStaff: [String] = []
    @Option(help: "Without any of these staff (e.g. someone other than the key adult).") var withoutStaff: [String] = []
    @Option(help: "Recorded by (login or EVIDENCE_STAFF name).") var observer: String?
    @Option(help: "EHC plan outcome number.") var outcome: Int?
    @Option(help: "From this day or term.") var since: String?
    @Option(help: "Up to and including this day or term.") var until: String?
    @Option(help: "photo or video.") var assetKind: String?
    @Flag(help: "List media that nobody has tagged yet instead.") var untagged = false
    @Option(help: "Words that must appear in the note (searched in memory; notes stay sealed).") var text: String?
    @Option(help: "time (default), newest, pupil or asset.") var sort: FindSort = .time
    @Option(help: "At most this many results.") var limit: Int?
    @Option(
        help: "Count by area, context, month, observer, pupil, response, prompt, staff, setting, activity, time-of-day, outcome, cue, support or state; give it twice for a two-way count (--group-by area --group-by setting)."
    )
    var groupBy: [FindGrouping] = []
    @Flag(help: "Print JSON on stdout.") var json = false
    @Flag(help: "Print CSV on stdout.") var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("Choose one of --json and --csv.") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
    }

    func run() async throws {
        try await reportingErrors {
            let session = try options.session()
            var query = FindQuery()
            query.pupils = splitList(pupil)
            query.areas = splitList(area)
            query.allAreas = allAreas
            query.responses = splitList(response)
            query.intent = intent
            query.prompt = prompt
            query.activity = activity
            query.setting = setting
            query.withStaff = splitList(withStaff)
            query.withoutStaff = splitList(withoutStaff)
            query.observer = observer
            query.outcome = outcome
            query.since = since
            query.until = until
            query.assetKind = assetKind
            query.text = text
            query.sort = sort
            query.limit = limit
            if untagged { return try printUntagged(Finder(session).untaggedAssets(query)) }
            if !groupBy.isEmpty {
                let groups = try Finder(session).findGroups(query, by: groupBy)
                if json { return try Terminal.printJSON(groups) }
                let header = groupBy.map(\.rawValue) + ["count"]
                let rows = groups.map { group in [group.key] + (groupBy.count == 2 ? [group.subkey ?? ""] : []) + [String(group.count)] }
                if csv { return Terminal.print(([CSVText.line(header)] + rows.map(CSVText.line)).joined(separator: "\n")) }
                printTable(header.map { $0.uppercased() }, rows)
                return
            }
            if json {
                // Streamed: a broad query is written in bounded memory.
                var writer = ObservationJSON()
                try Finder(session).find(query) { batch in for view in batch { writer.append(view) } }
                return writer.finish()
            }
            let results = try Finder(session).find(query)
            if csv { return Terminal.print(FindCSV.render(results)) }
            if results.isEmpty { return Terminal.note("No observations match.") }
            printTable(
                ["WHEN", "PUPIL", "ASSET", "RANGE", "AREAS", "RESPONSES", "PROMPT", "SETTING", "OBS", "NOTE"],
                results.map { (o: ObservationView) -> [String] in
                    let when = String(o.occurredAt.prefix(16)).replacingOccurrences(of: "T", with: " ")
                    return [
                        when, o.pupil, o.asset?.short ?? "from home", o.rangeText, o.areas.joined(separator: ","),
                        o.responses.joined(separator: ","), o.prompt ?? "", o.setting ?? "", o.id.description,
                        String((o.note ?? "").prefix(40)),
                    ]
                })
            Terminal.note("\(results.count) observation\(results.count == 1 ? "" : "s").")
        }
    }

    private func printUntagged(_ views: [AssetView]) throws {
        if json { return try Terminal.printJSON(views) }
        if csv {
            return Terminal.print(([CSVText.line(["id", "kind", "capturedAt", "originalName"])] + views.map { CSVText.line([$0.id ?? "", $0.kind, $0.capturedAt, $0.originalName ?? ""]) }).joined(separator: "\n"))
        }
        printTable(["ID", "KIND", "CAPTURED", "NAME"], views.map { [String(($0.id ?? "").prefix(8)), $0.kind, $0.capturedAt, $0.originalName ?? ""] })
        Terminal.note("\(views.count) untagged.")
    }
}

/// CSV rendering of find results: one row per observation, lists joined with `;`.
enum FindCSV {
    static let header =
        ["id", "moment", "asset", "assetKind", "startMs", "endMs", "occurredAt", "pupil", "observer"]
        + ObservationFields.Key.allCases.map(\.rawValue)

    static func render(_ rows: [ObservationView]) -> String {
        var lines = [CSVText.line(header)]
        for o in rows {
            let ids = [o.id.description, o.moment.description, o.asset?.rawValue ?? "", o.assetKind?.rawValue ?? ""]
            let range = [o.startMs.map(String.init) ?? "", o.endMs.map(String.init) ?? ""]
            let who = [o.occurredAt, o.pupil, o.observer]
            lines.append(CSVText.line(ids + range + who + ObservationFields.Key.allCases.map(o.fields.text)))
        }
        return lines.joined(separator: "\n")
    }
}
