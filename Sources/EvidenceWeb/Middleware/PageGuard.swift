import EvidenceKit
import Hummingbird

/// Lets a request through only with a live session cookie (else 401, with no bytes of the library), and a
/// state-changing one only from the page's own origin (else 403, changing nothing). Marks every answer
/// `Cache-Control: no-store` and closes it to other sites (a strict content security policy, no referrer).
struct PageGuard: RouterMiddleware {
    typealias Context = PageContext
    let gate: PageGate

    @concurrent func handle(
        _ request: Request, context: PageContext, next: @concurrent (Request, PageContext) async throws -> Response
    ) async throws -> Response {
        var response = try await guarded(request, context: context, next: next)
        PageResponses.harden(&response.headers)
        return response
    }

    @concurrent private func guarded(
        _ request: Request, context: PageContext, next: @concurrent (Request, PageContext) async throws -> Response
    ) async throws -> Response {
        if request.uri.path.hasPrefix("/open/") { return try await next(request, context) }
        let cookie = request.cookies[PageGate.cookieName]?.value
        guard let session = gate.session(cookie: cookie), let cookie else {
            return PageResponses.unauthorized(locked: gate.lockedBecause)
        }
        if ![.get, .head].contains(request.method) {
            guard let origin = request.headers[.origin], gate.allowedOrigins.contains(origin) else {
                return PageResponses.text(.forbidden, "A change to the library must come from the tagging page itself.")
            }
        }
        var context = context
        context.evidence = session
        context.cookie = cookie
        return try await next(request, context)
    }
}
