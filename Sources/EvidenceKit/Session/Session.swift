import Catalogue
public import Foundation

/// Who is acting: a member of staff, or (while a library is being set up, or when nobody was named) a login name.
public enum Actor: Sendable, Equatable {
    /// A member of staff on the library's staff list.
    case staff(StaffMember)
    /// Not on the staff list: the library has no staff yet, or nobody was named. Such a session can set up,
    /// ingest and read, but records no observation as its own.
    case login(String)

    /// The name written in the audit log: the staff handle, or the login name.
    public var auditName: String {
        switch self {
        case .staff(let member): member.handle
        case .login(let name): name
        }
    }

    /// The member of staff, when the actor is one.
    public var staffMember: StaffMember? {
        if case .staff(let member) = self { return member }
        return nil
    }
}

/// One person's use of an open library: the library, who is acting, the clock and the time zone.
///
/// Every workflow is built from a session, so each front end (the CLI, a page, a report) decides once who is
/// acting and in which zone, and nothing below it reads the environment.
///
/// ```swift
/// let session = try Session(library: library, acting: "ms-patel", login: "priya")
/// let result = try Tagger(session).tag(asset: video, from: 72_400, to: 79_000, draft: draft)
/// ```
public struct Session: Sendable {
    /// The open library.
    public let library: Library
    /// Who is acting.
    public let actor: Actor
    /// The zone for camera times without an offset, days and terms.
    public let timeZone: TimeZone
    /// Now, as this session sees it (a test can pin it).
    public let clock: @Sendable () -> Date

    /// The zone used when none is chosen: schools in England.
    public static var defaultTimeZone: TimeZone { TimeZone(identifier: "Europe/London") ?? .current }

    /// Opens a session acting as the member of staff with handle `acting`, or as `login` when nobody is named.
    ///
    /// A named member must be on the staff list. Only while the list is still empty (a library being set up) is
    /// a name taken as given, since the first member cannot be on a list that does not exist yet.
    public init(
        library: Library, acting handle: String?, login: String, timeZone: TimeZone = Session.defaultTimeZone,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(EvidenceError) {
        self.library = library
        self.timeZone = timeZone
        self.clock = clock
        guard let handle else {
            actor = .login(login)
            return
        }
        let members = try library.staffMembers()
        if members.isEmpty {
            actor = .login(try Handle.validate(handle, what: "staff", field: Field("as")))
        } else if let member = members.first(where: { $0.handle == handle.lowercased() }) {
            actor = .staff(member)
        } else {
            throw EvidenceError(
                .usage, "No member of staff has the handle \"\(handle)\", so nobody can act as them.", field: Field("as"),
                value: handle, remedy: .addStaff(handle: handle))
        }
    }

    /// Appends one audit entry, as the acting person, in its own transaction.
    func audit(
        _ action: String, assetID: AssetID? = nil, pupilID: PupilID? = nil, detail: String = ""
    ) throws(EvidenceError) {
        do {
            let draft = auditDraft(action, assetID: assetID, pupilID: pupilID, detail: detail)
            try library.catalogue.write { store in try store.appendAudit(draft) }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// An audit draft as the acting person, for a write that lands with its entry.
    func auditDraft(
        _ action: String, assetID: AssetID? = nil, pupilID: PupilID? = nil, detail: String = ""
    ) -> AuditDraft {
        AuditDraft(actor: actor.auditName, action: action, assetID: assetID, pupilID: pupilID, detail: detail)
    }

    /// Today in the session's zone, `YYYY-MM-DD`.
    public var today: String { CalendarDate.day(of: clock(), in: timeZone) }
}

/// A unit of work built from a ``Session``: ingest, tag, find, clip, import… Each is its own small type that
/// reaches the catalogue only through its stores.
public protocol Workflow: Sendable {
    /// The session it acts in.
    var session: Session { get }
}

extension Workflow {
    /// The open library.
    var library: Library { session.library }
    /// The catalogue's stores.
    var catalogue: any CatalogueStore { session.library.catalogue }
    /// Who is acting, as the audit log names them.
    var actor: String { session.actor.auditName }
    /// The session's zone.
    var timeZone: TimeZone { session.timeZone }
}
