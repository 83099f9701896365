public import Catalogue
public import Foundation
internal import Vault

/// One audit entry as shown to staff.
public struct AuditView: Sendable, Codable {
    /// Sequence number.
    public var seq: Int64
    /// When.
    public var at: Date
    /// Who.
    public var actor: String
    /// What.
    public var action: String
    /// Which asset.
    public var asset: AssetID?
    /// Which pupil (handle).
    public var pupil: String?
    /// Detail.
    public var detail: String
    /// The reason given for a break-glass use, opened from its sealed column.
    public var note: String?
}

/// The result of checking the audit chain.
public struct AuditCheck: Sendable, Codable {
    /// Entries checked.
    public var entries: Int
    /// The first entry whose hash, order or link does not check, if any.
    public var firstBroken: Int64?
    /// What else is wrong (the chain cut short, rolled back, or not starting with the library's creation).
    public var problem: String?
    /// What was found and put right (a lagging anchor advanced).
    public var note: String?
    /// Whether the chain is intact.
    public var intact: Bool { firstBroken == nil && problem == nil }

    init(entries: Int, firstBroken: Int64?, problem: String? = nil, note: String? = nil) {
        self.entries = entries
        self.firstBroken = firstBroken
        self.problem = problem
        self.note = note
    }
}

/// Reads and checks the audit log.
public struct Auditor: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// Audit entries, oldest first, optionally only those about one pupil (their tags, consent and exports, and those
    /// of any duplicate merged into them) or asset.
    public func auditEntries(pupil: Pupil? = nil, asset: AssetRecord? = nil) throws(EvidenceError) -> [AuditView] {
        let directory = try library.pupilDirectory()
        do {
            // One snapshot: the merges say which ids stand for the pupil, then each id is read through the index.
            let (records, aliases) = try catalogue.read { store in
                let aliases = PupilAliases(try store.auditEntries(action: Roster.mergeAction))
                guard let pupil else { return (try store.auditEntries(pupilID: nil, assetID: asset?.id), aliases) }
                let records = try aliases.all(standingFor: pupil.id).flatMap { try store.auditEntries(pupilID: $0, assetID: asset?.id) }
                return (records.sorted { $0.seq < $1.seq }, aliases)
            }
            return try records.map { record in
                AuditView(
                    seq: record.seq, at: record.at, actor: record.actor, action: record.action, asset: record.assetID,
                    pupil: record.pupilID.flatMap { directory.pupil(id: aliases.current($0))?.handle }, detail: record.detail,
                    note: try record.noteSealed.map { try library.master.open($0, context: "audit.note") })
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Re-computes the keyed hash chain: an edited, deleted, inserted or reordered row is found.
    ///
    /// Also checks it against its anchor outside the catalogue, so a cut or rolled-back log is found too.
    public func checkAudit() throws(EvidenceError) -> AuditCheck {
        try library.checkAuditChain()
    }
}
