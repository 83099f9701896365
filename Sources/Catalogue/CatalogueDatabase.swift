public import Foundation
import GRDB

/// The library's SQLite catalogue (WAL mode): the GRDB implementation of ``CatalogueStore``, shaped like GRDB's
/// `AppDatabase` — the connection pool is private and every statement lives in this module.
///
/// ```swift
/// let catalogue = try CatalogueDatabase(path: "LIBRARY/catalogue.sqlite", auditHasher: hasher)
/// let assets = try catalogue.read { store in try store.allAssets() }
/// ```
public final class CatalogueDatabase: CatalogueStore {
    /// The GRDB pool: many readers, one writer.
    private let pool: DatabasePool
    /// Keyed hash for the audit chain: (previous hash, canonical fields) → hash. Supplied by the vault's key.
    private let auditHasher: @Sendable (Data, String) -> Data
    /// Told the new head of the audit chain after every commit that appended to it (to advance the anchor).
    private let onAuditHead: @Sendable (AuditPosition) -> Void
    /// Row MACs, keyed by the library.
    private let macs: RowAuthentication
    /// The schema migrations this open applied (empty when the catalogue was already current).
    public let upgrades: [String]

    /// Opens (creating if needed) and migrates the catalogue at `path`.
    public init(
        path: String, auditHasher: @escaping @Sendable (Data, String) -> Data,
        rowMAC: @escaping @Sendable ([UInt8]) -> Data,
        legacy: LegacySealer = .none,
        onAuditHead: @escaping @Sendable (AuditPosition) -> Void = { _ in }
    ) throws(CatalogueError) {
        let macs = RowAuthentication(mac: rowMAC)
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(30)
        // Arguments are never shown in errors: they may be sealed personal data.
        config.publicStatementArguments = false
        // Content replaced or deleted is overwritten with zeros, not left in free space (the plaintext context an
        // older library held, a removed pupil's row).
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA secure_delete = ON") }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            let migrator = Self.migrator(macs: macs, legacy: legacy)
            // A catalogue already at this version (every open but the first after an upgrade) is only read: the
            // migrator's check takes the write lock, which every command would otherwise wait for.
            let (before, current) = try pool.read { db in
                (try migrator.appliedIdentifiers(db), try migrator.hasCompletedMigrations(db))
            }
            if current {
                upgrades = []
            } else {
                try migrator.migrate(pool)
                let after = try pool.read { db in try migrator.appliedIdentifiers(db) }
                upgrades = before.isEmpty ? [] : after.subtracting(before).sorted()
            }
        } catch {
            throw Self.wrapped(error, "The catalogue \((path as NSString).lastPathComponent) could not be opened")
        }
        self.auditHasher = auditHasher
        self.onAuditHead = onAuditHead
        self.macs = macs
    }

    /// Runs `body` in a write transaction; everything in it lands together or not at all.
    public func write<T>(_ body: (any CatalogueTransaction) throws -> T) throws -> T {
        let head = AuditHead()
        let result: T
        do {
            result = try pool.write { db in
                // The writer keeps 32 MiB of pages (the default is 2 MiB): an import adds rows to indexes on random
                // keys (the import key), and a small cache re-reads and re-writes their pages for every row.
                try db.execute(sql: "PRAGMA cache_size = -32768")
                return try body(SQLiteTransaction(db: db, auditHasher: auditHasher, head: head, macs: macs))
            }
        } catch {
            throw Self.wrap(error, "The catalogue could not be updated")
        }
        // Only after the commit: the anchor may lag the catalogue (a crash here), never lead it.
        if let position = head.position { onAuditHead(position) }
        return result
    }

    /// Runs `body` against a consistent snapshot.
    public func read<T>(_ body: (any CatalogueTransaction) throws -> T) throws -> T {
        do {
            return try pool.read { db in try body(SQLiteTransaction(db: db, auditHasher: auditHasher, head: nil, macs: macs)) }
        } catch {
            throw Self.wrap(error, "The catalogue could not be read")
        }
    }

    /// Turns a database failure into a ``CatalogueError`` (a full disk and a duplicate each have their code);
    /// any other error — one the caller's body threw — passes through unchanged.
    static func wrap(_ error: any Error, _ what: String) -> any Error {
        if let db = error as? DatabaseError {
            if db.resultCode == .SQLITE_FULL || db.resultCode == .SQLITE_IOERR {
                return CatalogueError(
                    code: .diskFull,
                    message: "\(what): the disk is full or failing. Free some space and run the command again; nothing was lost.",
                    cause: db
                )
            }
            if db.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE || db.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                return CatalogueError(code: .duplicate, message: "\(what): the same value is already stored.", cause: db)
            }
            return CatalogueError(code: .queryFailed, message: "\(what): \(db.message ?? "database error").", cause: db)
        }
        if error is RowDecodingError {
            return CatalogueError(
                code: .corruptRow,
                message: "\(what): a row holds a value this version cannot read, so it was not used.",
                cause: CatalogueError(code: .corruptRow, message: "\(error)"))
        }
        return error
    }

    /// ``wrap(_:_:)`` for callers that only throw ``CatalogueError``.
    static func wrapped(_ error: any Error, _ what: String) -> CatalogueError {
        if let error = wrap(error, what) as? CatalogueError { return error }
        return CatalogueError(code: .queryFailed, message: "\(what).", cause: CatalogueError(code: .queryFailed, message: "\(error)"))
    }

    /// The first row whose MAC does not check.
    public func firstUnauthenticatedRow() throws(CatalogueError) -> String? {
        do {
            return try pool.read { db in
                try SQLiteTransaction(db: db, auditHasher: auditHasher, head: nil, macs: macs).firstUnauthenticatedRow()
            }
        } catch {
            throw Self.wrapped(error, "The catalogue could not be read")
        }
    }

    // MARK: - Audit chain

    /// Whether the first audit entry's keyed hash checks with this library's key.
    public func firstAuditEntryChecks() -> Bool {
        guard let first = try? pool.read({ db in try AuditRecord.filter(Column("seq") == 1).fetchOne(db) }) else {
            return false
        }
        return first.hash == auditHasher(Data(count: 32), first.canonicalFields)
    }

    /// Walks the audit chain: links, hashes, head, and the entry at `anchorSeq`.
    public func verifyAudit(anchorSeq: Int64?) throws(CatalogueError) -> AuditChainReport {
        let entries: [AuditRecord]
        do {
            entries = try pool.read { db in try AuditRecord.order(Column("seq")).fetchAll(db) }
        } catch {
            throw Self.wrapped(error, "The audit log could not be read")
        }
        var report = AuditChainReport(
            count: entries.count, firstBroken: nil, head: entries.last.map { AuditPosition(seq: $0.seq, hash: $0.hash) },
            firstAction: entries.first?.action, atAnchor: nil, wasAnchored: false)
        var previous = Data(count: 32)
        var expectedSeq: Int64 = 1
        for entry in entries {
            let hash = auditHasher(previous, entry.canonicalFields)
            if report.firstBroken == nil, entry.seq != expectedSeq || entry.previousHash != previous || entry.hash != hash {
                report.firstBroken = entry.seq
            }
            if entry.seq == anchorSeq { report.atAnchor = AuditPosition(seq: entry.seq, hash: entry.hash) }
            // Anchored since: a library made with anchors says so in its first entry; an older one in the entry
            // that anchored it.
            if entry.action == "audit-anchored" || (entry.seq == 1 && entry.detail.hasSuffix(" anchored")) {
                report.wasAnchored = true
            }
            previous = entry.hash
            expectedSeq += 1
        }
        return report
    }
}

/// The head of the audit chain as a write transaction leaves it.
final class AuditHead: @unchecked Sendable {
    // Set only inside GRDB's serialized writer, read after the write returns on the same thread.
    var position: AuditPosition?
}

