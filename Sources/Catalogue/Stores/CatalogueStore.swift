/// Every store of one catalogue, seen inside one transaction.
///
/// A workflow reads or writes several aggregates at once (an observation and its audit entry land together), so
/// it asks the ``CatalogueStore`` for a transaction and calls the typed operations of each store on it. Nothing in
/// these protocols names SQLite: a PostgreSQL catalogue is a second conformance.
public typealias CatalogueTransaction = AssetStore & AuditStore & ConsentStore & IngestBatchStore & ObservationStore & JudgementStore
    & PeopleStore & VocabularyStore

/// The catalogue: transactions over its stores, and the checks that need the whole of it.
///
/// ```swift
/// let record = try catalogue.read { store in try store.asset(id: id) }
/// try catalogue.write { store in
///     let moment = try store.insertMoment(draft)
///     try store.appendAudit(AuditDraft(actor: "ms-patel", action: "tag", assetID: id))
/// }
/// ```
public protocol CatalogueStore: Sendable {
    /// Runs `body` against a consistent snapshot. Writes inside it fail.
    ///
    /// Errors of the store are ``CatalogueError``s; errors thrown by `body` itself pass through unchanged.
    func read<T>(_ body: (any CatalogueTransaction) throws -> T) throws -> T

    /// Runs `body` in one write transaction; everything in it lands together or not at all.
    ///
    /// Errors of the store are ``CatalogueError``s; errors thrown by `body` itself pass through unchanged.
    func write<T>(_ body: (any CatalogueTransaction) throws -> T) throws -> T

    /// Walks the audit chain: every link and hash, the head, and the entry at `anchorSeq` (the anchor kept outside
    /// the catalogue), so truncation and rollback can be told from a crash between a commit and its anchor.
    func verifyAudit(anchorSeq: Int64?) throws(CatalogueError) -> AuditChainReport

    /// The first row (of assets, pupils, consent, moments, observations) whose MAC does not check, named as
    /// `table row id`; nil when every row authenticates.
    func firstUnauthenticatedRow() throws(CatalogueError) -> String?

    /// The schema upgrades opening this catalogue applied (empty for a new or current catalogue).
    var upgrades: [String] { get }

    /// Whether the first audit entry's keyed hash checks with this library's key: a cheap test that a key handed
    /// over by the session agent really is this library's.
    func firstAuditEntryChecks() -> Bool
}
