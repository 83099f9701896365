public import Foundation

/// Assets, their source fingerprints, clips cut from them, and who appears in them.
public protocol AssetStore {
    /// The asset with `id`, if any.
    func asset(id: AssetID) throws -> AssetRecord?
    /// Up to ten assets whose id starts with `prefix`.
    func assets(idPrefix prefix: String) throws -> [AssetRecord]
    /// Every asset, oldest capture first.
    func allAssets() throws -> [AssetRecord]
    /// Every asset id (for sweeping orphaned blobs).
    func allAssetIDs() throws -> Set<AssetID>
    /// Stores a new asset; its device row is made on first sight. A second asset with the same content hash
    /// fails with ``CatalogueError/Code/duplicate``.
    func insertAsset(_ record: AssetRecord) throws
    /// The asset a source file with this keyed fingerprint became, if it was ingested before.
    func knownSource(_ fingerprint: Data) throws -> AssetID?
    /// Remembers a source fingerprint for an asset.
    func recordSource(_ fingerprint: Data, assetID: AssetID) throws
    /// The asset with this content hash, if any.
    func assetID(contentHash: Data) throws -> AssetID?
    /// Whether any asset shares this partial hash (size + first and last MiB).
    func hasPartialMatch(_ partialHash: Data) throws -> Bool
    /// Links a clip stored in the vault to the video it was cut from (once).
    func insertDerivedAsset(_ record: DerivedAssetRecord) throws
    /// Assets with no current observation, oldest first, optionally of one kind and captured in `[from, before)`.
    func untaggedAssetIDs(kind: AssetKind?, capturedFrom: Date?, capturedBefore: Date?) throws -> [AssetID]

    /// Records pupils as visible in an asset (once each).
    func addAppearances(assetID: AssetID, pupils: [PupilID], at: Date, by: String) throws
    /// The pupils recorded as visible in an asset.
    func appearances(assetID: AssetID) throws -> [PupilID]
    /// Records (or replaces) the review of who is visible in an asset.
    func recordAppearanceReview(_ review: AppearanceReviewRecord) throws
    /// The review of an asset, if staff made one.
    func appearanceReview(assetID: AssetID) throws -> AppearanceReviewRecord?
}

/// The hash-chained audit log: entries are only ever appended.
public protocol AuditStore {
    /// Appends an entry (sequence, time and chain hash added by the store).
    func appendAudit(_ draft: AuditDraft) throws
    /// Entries, oldest first, optionally only those about one pupil or one asset.
    func auditEntries(pupilID: PupilID?, assetID: AssetID?) throws -> [AuditRecord]
}

/// The record of each ingest run.
public protocol IngestBatchStore {
    /// Starts a batch; returns its id.
    func insertBatch(_ batch: IngestBatchRecord) throws -> Int64
    /// Stores a finished batch's counts.
    func finishBatch(_ batch: IngestBatchRecord) throws
}

/// Pupils and staff, as sealed rows.
public protocol PeopleStore {
    /// Every pupil row.
    func pupilRecords() throws -> [PupilRecord]
    /// Stores a new pupil; a taken handle or UPN fails with ``CatalogueError/Code/duplicate``.
    func insertPupil(_ record: PupilRecord) throws -> PupilID
    /// Replaces a pupil's sealed profile, UPN lookup, year and class.
    func updatePupil(_ record: PupilRecord) throws
    /// Every staff row.
    func staffRecords() throws -> [StaffRecord]
    /// Whether a staff handle's lookup tag is taken.
    func staffExists(lookup: Data) throws -> Bool
    /// Stores a new member of staff.
    func insertStaff(_ record: StaffRecord) throws -> StaffID
}

/// The append-only consent register.
public protocol ConsentStore {
    /// Adds a decision; returns its register order.
    func insertConsent(_ record: ConsentRecord) throws -> Int64
    /// The register (for one pupil, or everyone), in register order.
    func consentRecords(pupilID: PupilID?) throws -> [ConsentRecord]
}

/// The school's own vocabulary.
public protocol VocabularyStore {
    /// Terms a school added, sorted.
    func terms(_ kind: VocabularyKind) throws -> [String]
    /// Adds a term (once).
    func addTerm(_ term: String, kind: VocabularyKind) throws
}
