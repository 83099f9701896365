import Catalogue
import EvidenceKit
import Foundation
import Hummingbird

/// The pages: the start-up link that opens a session, the inbox, one asset's tagging page, and the page's script
/// and stylesheet.
enum PageRoutes {
    static func add(to router: Router<PageContext>, gate: PageGate) {
        router.get("/open/:token") { _, context in open(context, gate: gate) }
        router.get("/") { _, _ in Response.redirect(to: "/inbox", type: .normal) }
        router.get("/inbox") { _, context in try inbox(context) }
        router.get("/assets/:id") { _, context in try assetPage(context, gate: gate) }
        router.get("/assets/:id/moments") { _, context in try moments(context) }
        router.get("/static/:name") { _, context in try staticFile(context) }
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
    }

    /// Trades the one-time token for a session cookie and goes to the inbox; a used or wrong token opens nothing.
    static func open(_ context: PageContext, gate: PageGate) -> Response {
        guard let token = context.parameters.get("token"), let cookie = gate.open(token: token) else {
            return PageResponses.unauthorized(locked: gate.lockedBecause)
        }
        var response = Response.redirect(to: "/inbox", type: .normal)
        response.setCookie(Cookie(name: PageGate.cookieName, value: cookie, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    static func inbox(_ context: PageContext) throws -> Response {
        let session = try context.session()
        do {
            let items = try Inbox(session).items()
            let rows = items.map { row($0, session: session) }
            let open = rows.filter { $0["done"] == nil }
            let done = rows.filter { $0["done"] != nil }
            return PageResponses.html(
                PageTemplates.page(
                    "inbox", title: "Inbox",
                    [
                        "staff": session.actor.auditName, "open": open, "done": done, "openCount": open.count,
                        "doneCount": done.count, "hasDone": !done.isEmpty, "empty": items.isEmpty,
                    ]))
        } catch {
            return PageResponses.refusal(error)
        }
    }

    /// One inbox item as the template shows it.
    static func row(_ item: InboxItem, session: Session) -> [String: Any] {
        var row: [String: Any] = [
            "id": item.asset.rawValue, "short": item.asset.short, "kind": item.kind.rawValue,
            "name": (item.name.map { ($0 as NSString).lastPathComponent }) ?? item.asset.short,
            "captured": PageFormat.day(item.capturedAt, in: session.timeZone),
            "moments": item.moments == 1 ? "1 moment" : "\(item.moments) moments",
            "reviewed": Int((item.reviewedFraction * 100).rounded()),
            "state": ["untagged": "Not tagged yet", "partlyTagged": "Partly tagged", "done": "Done"][item.state.rawValue] ?? "",
        ]
        if let duration = item.durationMs { row["duration"] = PageFormat.clock(duration) }
        if item.kind == .video { row["video"] = true }
        if item.state == .done { row["done"] = true }
        if !item.restrictions.isEmpty {
            row["restricted"] = item.restrictions.joined(separator: "; ")
        } else if ["image/heic", "image/heif", "image/avif"].contains(item.contentType) {
            row["noPoster"] = "HEIC photo"
        } else {
            row["poster"] = true
        }
        return row
    }

    /// The tagging page of one asset: refused (403) when consent keeps it back, audited as a view the first time.
    static func assetPage(_ context: PageContext, gate: PageGate) throws -> Response {
        let session = try context.session()
        do {
            let pass = try MediaRoutes.pass(context, gate: gate)
            let asset = pass.asset
            let tagger = Tagger(session)
            let data = PageData(
                asset: asset.id.rawValue, kind: asset.kind.rawValue, durationMs: asset.durationMs,
                frameRate: asset.frameRate ?? 25, choices: try tagger.choices(for: asset),
                moments: try Finder(session).moments(of: asset), context: gate.lastContext(cookie: context.cookie),
                appearances: try tagger.appearances(of: asset), warnings: pass.clearance.warnings)
            let json = String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
            let name = try AssetBrowser(session).view(of: asset).originalName.map { ($0 as NSString).lastPathComponent }
            var values: [String: Any] = [
                "staff": session.actor.auditName, "id": asset.id.rawValue, "short": asset.id.short, "data": json,
                "name": name ?? asset.id.short,
                "captured": PageFormat.day(asset.capturedAt, in: session.timeZone), "type": asset.contentType,
                "areas": EngagementArea.allCases.enumerated().map { ["digit": $0.offset + 1, "name": $0.element.rawValue] },
                "intents": data.choices.intents, "prompts": data.choices.prompts,
                "responses": data.choices.responses, "states": data.choices.states, "staffList": data.choices.staff,
                "warnings": pass.clearance.warnings,
            ]
            if asset.kind == .video { values["video"] = true } else { values["photo"] = true }
            if ["image/heic", "image/heif", "image/avif"].contains(asset.contentType) { values["noPicture"] = true }
            if let duration = asset.durationMs { values["duration"] = PageFormat.clock(duration) }
            return PageResponses.html(PageTemplates.page("asset", title: "Tag \(asset.id.short)", values))
        } catch let error as EvidenceError {
            return PageResponses.refusal(error)
        }
    }

    /// The asset's moments as JSON (for the timeline after a save elsewhere).
    static func moments(_ context: PageContext) throws -> Response {
        let session = try context.session()
        do {
            let asset = try session.library.resolveAsset(try context.parameters.require("id"))
            return PageResponses.json(try Finder(session).moments(of: asset))
        } catch let error as EvidenceError {
            return PageResponses.error(error)
        }
    }

    static func staticFile(_ context: PageContext) throws -> Response {
        guard let name = context.parameters.get("name"), let file = PageTemplates.staticFile(name) else {
            return PageResponses.text(.notFound, "No such file.")
        }
        return Response(status: .ok, headers: [.contentType: file.type], body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}

/// What the page's script starts from, in one attribute: the asset, the choices, the moments so far.
struct PageData: Encodable {
    var asset: String
    var kind: String
    var durationMs: Int64?
    var frameRate: Double
    var choices: TaggingChoices
    var moments: [MomentView]
    var context: ObservationFields
    var appearances: AppearanceView
    var warnings: [String]
}

/// Times and days as the page shows them.
enum PageFormat {
    /// `3:07` or `1:02:03`.
    static func clock(_ ms: Int64) -> String {
        let seconds = ms / 1000
        let (h, m, s) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }

    /// `Tue 1 Dec 2026, 14:05` in the session's zone.
    static func day(_ date: Date, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = zone
        formatter.dateFormat = "EEE d MMM yyyy, HH:mm"
        return formatter.string(from: date)
    }
}
