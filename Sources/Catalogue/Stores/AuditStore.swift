/// The hash-chained audit log: entries are only ever appended.
public protocol AuditStore {
    /// Appends an entry (sequence, time and chain hash added by the store).
    func appendAudit(_ draft: AuditDraft) throws
    /// Entries, oldest first, optionally only those about one pupil or one asset.
    func auditEntries(pupilID: PupilID?, assetID: AssetID?) throws -> [AuditRecord]
    /// Entries of one action, oldest first.
    func auditEntries(action: String) throws -> [AuditRecord]
}
