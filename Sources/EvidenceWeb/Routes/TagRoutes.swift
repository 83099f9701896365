import Catalogue
import EvidenceKit
import Foundation
import Hummingbird

/// The page's changes, each through the same EvidenceKit call as the CLI command that does it (`tag`, `untag`,
/// `edit`, `appearances`), so the rules, the consent check and the audit entry are the CLI's. Errors come back as
/// `{"error": {"message", "field"}}` for the script to show beside the field.
enum TagRoutes {
    static func add(to router: Router<PageContext>, gate: PageGate) {
        router.post("/assets/:id/moments") { request, context in try await save(request, context, gate: gate) }
        router.post("/undo") { _, context in try undo(context, gate: gate) }
        router.post("/observations/:id/untag") { _, context in try untag(context) }
        router.post("/observations/:id/edit") { request, context in try await edit(request, context) }
        router.post("/assets/:id/appearances") { request, context in try await appearances(request, context) }
        router.post("/assets/:id/watched") { request, context in try await watched(request, context) }
    }

    /// A save from the page: a range (ms; none for a photo or a whole video), one pupil and the fields.
    struct SaveRequest: Decodable {
        var from: Int64?
        var to: Int64?
        var pupil: String
        var fields: ObservationFields
        var also: [String]?
    }

    /// What a change answers: the ids it stored, and the asset's moments as they now stand.
    struct Saved: Encodable {
        var moment: MomentID?
        var observation: ObservationID?
        var moments: [MomentView]
    }

    /// Decodes a JSON body; a malformed one is a 400 saying so.
    static func body<T: Decodable & Sendable>(_ type: T.Type, _ request: Request, _ context: PageContext) async throws -> T {
        do {
            return try await request.decode(as: T.self, context: context)
        } catch {
            throw HTTPError(.badRequest, message: "The page sent a request this server cannot read.")
        }
    }

    /// Runs `change`, then the moments of the asset `observation` is on, as they now stand (none from home).
    static func afterwards(
        _ observation: ObservationID, _ session: Session, _ change: () throws(EvidenceError) -> Void
    ) throws(EvidenceError) -> [MomentView] {
        let assetID = try Finder(session).asset(ofObservation: observation)
        try change()
        guard let assetID else { return [] }
        return try Finder(session).moments(of: session.library.resolveAsset(assetID.rawValue))
    }

    static func asset(_ context: PageContext) throws -> (Session, AssetRecord) {
        let session = try context.session()
        return (session, try session.library.resolveAsset(try context.parameters.require("id")))
    }

    static func save(_ request: Request, _ context: PageContext, gate: PageGate) async throws -> Response {
        let input = try await body(SaveRequest.self, request, context)
        do {
            let (session, asset) = try asset(context)
            var draft = ObservationDraft(pupil: input.pupil, fields: input.fields)
            draft.also = input.also ?? []
            let result = try Tagger(session).tag(asset: asset, from: input.from, to: input.to, draft: draft)
            gate.saved(cookie: context.cookie, observation: result.observation, fields: input.fields)
            return PageResponses.json(
                Saved(moment: result.moment, observation: result.observation, moments: try Finder(session).moments(of: asset)),
                status: .created)
        } catch let error as EvidenceError {
            return PageResponses.error(error)
        }
    }

    /// Undoes this page session's newest save: the observation is untagged (the row stays, stamped, as `untag` does).
    static func undo(_ context: PageContext, gate: PageGate) throws -> Response {
        let session = try context.session()
        guard let last = gate.takeLastSave(cookie: context.cookie) else {
            return PageResponses.error(EvidenceError(.usage, "There is nothing to undo: no moment was saved from this page yet."))
        }
        do {
            let moments = try afterwards(last, session) { () throws(EvidenceError) in _ = try Tagger(session).untag([last.description]) }
            return PageResponses.json(Saved(moment: nil, observation: last, moments: moments))
        } catch {
            return PageResponses.error(error)
        }
    }

    static func untag(_ context: PageContext) throws -> Response {
        let session = try context.session()
        do {
            let text = try context.parameters.require("id")
            guard let id = ObservationID(parsing: text) else {
                throw EvidenceError(.usage, "\"\(text)\" is not an observation id.", field: Field("observation"))
            }
            let moments = try afterwards(id, session) { () throws(EvidenceError) in _ = try Tagger(session).untag([text]) }
            return PageResponses.json(Saved(moment: nil, observation: id, moments: moments))
        } catch let error as EvidenceError {
            return PageResponses.error(error)
        }
    }

    /// An edit: every field the page shows is sent, and all of them are the new version (history kept).
    struct EditRequest: Decodable {
        var fields: ObservationFields
    }

    static func edit(_ request: Request, _ context: PageContext) async throws -> Response {
        let input = try await body(EditRequest.self, request, context)
        let session = try context.session()
        do {
            var edit = ObservationEdit()
            edit.fields = input.fields
            edit.changed = Set(ObservationFields.Key.allCases)
            let result = try Tagger(session).editObservation(try context.parameters.require("id"), edit)
            let moments = try afterwards(result.observation, session) {}
            return PageResponses.json(Saved(moment: result.moment, observation: result.observation, moments: moments))
        } catch let error as EvidenceError {
            return PageResponses.error(error)
        }
    }

    /// "Who else is in this clip": pupils seen, and the review (`noneElse`: nobody else appears).
    struct AppearancesRequest: Decodable {
        var add: [String]?
        var reviewed: Bool?
        var noneElse: Bool?
    }

    static func appearances(_ request: Request, _ context: PageContext) async throws -> Response {
        let input = try await body(AppearancesRequest.self, request, context)
        do {
            let (session, asset) = try asset(context)
            let view = try Tagger(session).appearances(
                of: asset, add: input.add ?? [], reviewed: input.reviewed ?? false, noneElse: input.noneElse ?? false)
            return PageResponses.json(view)
        } catch let error as EvidenceError {
            return PageResponses.error(error)
        }
    }

    /// How far the video was watched, for the inbox (audited as `watch`).
    struct WatchedRequest: Decodable {
        var toMs: Int64
    }

    static func watched(_ request: Request, _ context: PageContext) async throws -> Response {
        let input = try await body(WatchedRequest.self, request, context)
        do {
            let (session, asset) = try asset(context)
            try Viewer(session).recordWatched(asset, toMs: input.toMs)
            return Response(status: .noContent)
        } catch let error as EvidenceError {
            return PageResponses.error(error)
        }
    }
}
