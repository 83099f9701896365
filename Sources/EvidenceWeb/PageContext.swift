import EvidenceKit
import Hummingbird

/// A request's context: Hummingbird's own, plus the session the cookie opened (set by ``PageGuard``).
struct PageContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The open library and who is acting, once the cookie was checked.
    var evidence: Session?
    /// The session cookie's value.
    var cookie = ""

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// A request body larger than this is refused (a tag is a few kilobytes).
    var maxUploadSize: Int { 256 * 1024 }

    /// The session; only routes behind ``PageGuard`` run, so it is always there.
    func session() throws -> Session {
        guard let evidence else { throw HTTPError(.unauthorized) }
        return evidence
    }
}
