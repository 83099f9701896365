public import Foundation
public import GRDB

/// The library's SQLite catalogue (WAL mode), the one entry point to the database, shaped like GRDB's `AppDatabase`.
///
/// ```swift
/// let catalogue = try CatalogueDatabase(path: "LIBRARY/catalogue.sqlite", auditHasher: hasher)
/// let assets = try catalogue.read { db in try AssetRecord.order(Column("captured_at")).fetchAll(db) }
/// ```
public final class CatalogueDatabase: Sendable {
    /// The GRDB pool: many readers, one writer.
    public let pool: DatabasePool
    /// Keyed hash for the audit chain: (previous hash, canonical fields) → hash. Supplied by the vault's key.
    let auditHasher: @Sendable (Data, String) -> Data

    /// Opens (creating if needed) and migrates the catalogue at `path`.
    public init(path: String, auditHasher: @escaping @Sendable (Data, String) -> Data) throws(CatalogueError) {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(30)
        // Arguments are never shown in errors: they may be sealed personal data.
        config.publicStatementArguments = false
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(pool)
        } catch {
            throw Self.wrap(error, "The catalogue \((path as NSString).lastPathComponent) could not be opened")
        }
        self.auditHasher = auditHasher
    }

    /// Runs `body` in a write transaction; everything in it lands together or not at all.
    public func write<T>(_ body: (Database) throws -> T) throws(CatalogueError) -> T {
        do { return try pool.write(body) } catch { throw Self.wrap(error, "The catalogue could not be updated") }
    }

    /// Runs `body` against a consistent snapshot.
    public func read<T>(_ body: (Database) throws -> T) throws(CatalogueError) -> T {
        do { return try pool.read(body) } catch { throw Self.wrap(error, "The catalogue could not be read") }
    }

    /// Turns any error into a ``CatalogueError``, spotting a full disk.
    static func wrap(_ error: any Error, _ what: String) -> CatalogueError {
        if let error = error as? CatalogueError { return error }
        if let db = error as? DatabaseError {
            if db.resultCode == .SQLITE_FULL || db.resultCode == .SQLITE_IOERR {
                return CatalogueError(
                    code: .diskFull,
                    message: "\(what): the disk is full or failing. Free some space and run the command again; nothing was lost.",
                    cause: db
                )
            }
            return CatalogueError(code: .queryFailed, message: "\(what): \(db.message ?? "database error").", cause: db)
        }
        return CatalogueError(code: .queryFailed, message: "\(what).", cause: CatalogueError(code: .queryFailed, message: "\(error)"))
    }

    // MARK: - Audit

    /// Appends a hash-chained audit entry inside the caller's transaction.
    public func appendAudit(
        _ db: Database,
        actor: String,
        action: String,
        assetID: String? = nil,
        pupilID: Int64? = nil,
        detail: String = ""
    ) throws {
        let last = try AuditRecord.order(Column("seq").desc).fetchOne(db)
        var entry = AuditRecord(
            seq: (last?.seq ?? 0) + 1,
            // SQLite keeps dates to the millisecond; hash exactly what is stored.
            at: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000),
            actor: actor,
            action: action,
            assetID: assetID,
            detail: detail,
            pupilID: pupilID,
            previousHash: last?.hash ?? Data(count: 32),
            hash: Data()
        )
        entry.hash = auditHasher(entry.previousHash, entry.canonicalFields)
        try entry.insert(db)
    }

    /// Whether the first audit entry's keyed hash checks with this library's key: a cheap test that a key handed
    /// over by the session agent really is this library's.
    public func firstAuditEntryChecks() -> Bool {
        guard let first = try? read({ db in try AuditRecord.filter(Column("seq") == 1).fetchOne(db) }) else { return false }
        return first.hash == auditHasher(Data(count: 32), first.canonicalFields)
    }

    /// Walks the audit chain; returns the number of entries, or the first sequence number that does not check.
    public func verifyAudit() throws(CatalogueError) -> (count: Int, firstBroken: Int64?) {
        let entries = try read { db in try AuditRecord.order(Column("seq")).fetchAll(db) }
        var previous = Data(count: 32)
        var expectedSeq: Int64 = 1
        for entry in entries {
            let hash = auditHasher(previous, entry.canonicalFields)
            guard entry.seq == expectedSeq, entry.previousHash == previous, entry.hash == hash else {
                return (entries.count, entry.seq)
            }
            previous = entry.hash
            expectedSeq += 1
        }
        return (entries.count, nil)
    }

    // MARK: - Assets

    /// The device row for a make and model, created on first sight.
    public func deviceID(_ db: Database, make: String?, model: String?) throws -> Int64? {
        guard make != nil || model != nil else { return nil }
        let make = make ?? "", model = model ?? ""
        try db.execute(sql: "INSERT OR IGNORE INTO device (make, model) VALUES (?, ?)", arguments: [make, model])
        return try Int64.fetchOne(db, sql: "SELECT id FROM device WHERE make = ? AND model = ?", arguments: [make, model])
    }

    /// The asset with `id`, or a `notFound` error naming it.
    public func asset(id: String) throws(CatalogueError) -> AssetRecord {
        let found = try read { db in try AssetRecord.fetchOne(db, key: id) }
        guard let found else {
            throw CatalogueError(
                code: .notFound,
                message: "No asset has id \(id). List them with `evidence assets`."
            )
        }
        return found
    }

    /// Assets whose id starts with `prefix` (so people can type the first few characters).
    public func assets(idPrefix prefix: String) throws(CatalogueError) -> [AssetRecord] {
        try read { db in
            try AssetRecord.filter(Column("id").like(prefix.lowercased() + "%")).limit(10).fetchAll(db)
        }
    }

    /// Every asset, oldest capture first.
    public func allAssets() throws(CatalogueError) -> [AssetRecord] {
        try read { db in try AssetRecord.order(Column("captured_at"), Column("id")).fetchAll(db) }
    }

    /// Whether a source file with this keyed fingerprint was already ingested (the re-plugged card fast path).
    public func knownSource(_ fingerprint: Data) throws(CatalogueError) -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT asset_id FROM source_file WHERE fingerprint = ?", arguments: [fingerprint])
        }
    }

    /// Remembers a source fingerprint for an asset.
    public func recordSource(_ db: Database, fingerprint: Data, assetID: String) throws {
        try db.execute(
            sql: "INSERT OR IGNORE INTO source_file (fingerprint, asset_id) VALUES (?, ?)",
            arguments: [fingerprint, assetID]
        )
    }

    /// The asset with this content hash, if any.
    public func assetID(contentHash: Data) throws(CatalogueError) -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT id FROM asset WHERE content_hash = ?", arguments: [contentHash])
        }
    }

    /// Whether any asset shares this partial hash (size + first and last MiB).
    public func hasPartialMatch(_ partialHash: Data) throws(CatalogueError) -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM asset WHERE partial_hash = ?)", arguments: [partialHash])
                ?? false
        }
    }
}
