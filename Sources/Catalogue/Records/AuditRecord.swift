public import Foundation

/// One append-only, hash-chained audit entry.
public struct AuditRecord: Codable, Sendable, Equatable {
    /// Sequence number, from 1, without gaps.
    public var seq: Int64
    /// When.
    public var at: Date
    /// Who (a staff handle, or the login name while a library is being set up).
    public var actor: String
    /// What: `ingest`, `cat`, `verify`, …
    public var action: String
    /// Which asset, if one.
    public var assetID: AssetID?
    /// Non-personal detail (counts, sizes; never names).
    public var detail: String
    /// Which pupil, if the entry concerns one (consent changes, exports, reports).
    public var pupilID: PupilID?
    /// A sealed note (the reason given for a break-glass use), never plaintext.
    public var noteSealed: Data?
    /// The previous entry's hash (32 zero bytes for the first).
    public var previousHash: Data
    /// Keyed BLAKE2b over the previous hash and this entry's fields.
    public var hash: Data

    /// Makes an entry.
    public init(
        seq: Int64, at: Date, actor: String, action: String, assetID: AssetID?, detail: String,
        pupilID: PupilID? = nil, noteSealed: Data? = nil, previousHash: Data, hash: Data
    ) {
        self.noteSealed = noteSealed
        self.pupilID = pupilID
        self.seq = seq
        self.at = at
        self.actor = actor
        self.action = action
        self.assetID = assetID
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The bytes the hash covers, in a fixed order (for ``previousHash`` chaining).
    public var canonicalFields: String {
        let stamp = String(Int64((at.timeIntervalSince1970 * 1000).rounded()))
        var fields = [String(seq), stamp, actor, action, assetID?.rawValue ?? "", detail]
        // Entries from before pupils existed hash without the field, so old chains still verify.
        if let pupilID { fields.append(String(pupilID.rawValue)) }
        // Entries with a sealed note (from schema v4) hash it too, after a pupil field that is then always present.
        if let noteSealed {
            if pupilID == nil { fields.append("") }
            fields.append(noteSealed.base64EncodedString())
        }
        return fields.joined(separator: "\u{1F}")
    }
}

/// What a workflow asks the audit log to record; the store adds the sequence, time and chain hash.
public struct AuditDraft: Sendable {
    /// Who.
    public var actor: String
    /// What.
    public var action: String
    /// Which asset.
    public var assetID: AssetID?
    /// Which pupil.
    public var pupilID: PupilID?
    /// Non-personal detail.
    public var detail: String
    /// A sealed note (a break-glass reason).
    public var noteSealed: Data?

    /// Makes a draft.
    public init(
        actor: String, action: String, assetID: AssetID? = nil, pupilID: PupilID? = nil, detail: String = "",
        noteSealed: Data? = nil
    ) {
        self.noteSealed = noteSealed
        self.actor = actor
        self.action = action
        self.assetID = assetID
        self.pupilID = pupilID
        self.detail = detail
    }
}

/// A place in the audit chain: an entry's sequence number and hash.
public struct AuditPosition: Sendable, Equatable {
    /// The sequence number.
    public var seq: Int64
    /// The entry's chain hash.
    public var hash: Data

    /// Makes a position.
    public init(seq: Int64, hash: Data) {
        self.seq = seq
        self.hash = hash
    }
}

/// What walking the audit chain found.
public struct AuditChainReport: Sendable {
    /// Entries walked.
    public var count: Int
    /// The first entry whose hash, order or link does not check, if any.
    public var firstBroken: Int64?
    /// The last entry.
    public var head: AuditPosition?
    /// The first entry's action (a library's chain starts with `init`).
    public var firstAction: String?
    /// The entry at the sequence number asked about (the anchor's), as stored.
    public var atAnchor: AuditPosition?
    /// Whether any entry records that the chain was anchored (so a missing anchor is a problem).
    public var wasAnchored: Bool
}

