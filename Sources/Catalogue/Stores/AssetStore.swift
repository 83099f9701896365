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
    /// Everyone each asset shows: its recorded appearances (tagging and importing record every pupil they tag).
    func pupilsShown(assetIDs: [AssetID]) throws -> [AssetID: Set<PupilID>]
    /// Records (or replaces) the review of who is visible in an asset.
    func recordAppearanceReview(_ review: AppearanceReviewRecord) throws
    /// The review of an asset, if staff made one.
    func appearanceReview(assetID: AssetID) throws -> AppearanceReviewRecord?
}
