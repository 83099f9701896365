import Foundation
import Hummingbird

/// Logs each request as its method, its path (ids only: no query, no token) and its status, on standard error.
///
/// Nothing else is logged: no query string, no header, no body, no error text, so the log never holds a pupil's name
/// or a note (a path names assets, moments and observations by id only).
struct RequestLog: RouterMiddleware {
    typealias Context = PageContext
    /// Where lines go (standard error in the product).
    let write: @Sendable (String) -> Void

    @concurrent func handle(
        _ request: Request, context: PageContext, next: @concurrent (Request, PageContext) async throws -> Response
    ) async throws -> Response {
        let path = Self.loggedPath(request.uri.path)
        do {
            let response = try await next(request, context)
            write("\(request.method) \(path) \(response.status.code)")
            return response
        } catch let error as HTTPError {
            write("\(request.method) \(path) \(error.status.code)")
            throw error
        } catch {
            write("\(request.method) \(path) 500")
            throw error
        }
    }

    /// The path as logged: the start-up token is never written.
    static func loggedPath(_ path: String) -> String {
        path.hasPrefix("/open/") ? "/open/…" : path
    }
}
