public import Catalogue
public import Foundation
public import Vault

/// Proof that the consent gate cleared one asset for viewing inside the school: only ``Viewer`` makes one, and
/// the media and poster reads below take one, so a front end cannot hand out bytes the gate never saw.
public struct ViewPass: Sendable {
    /// The asset cleared.
    public let asset: AssetRecord
    /// What the gate said (the pupils shown, warnings for staff).
    public let clearance: OutputClearance
}

/// Viewing evidence in a front end that streams it (the tagging page): the gate on every read, an audit entry when
/// the front end says this is the first view of the asset in its session.
public struct Viewer: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// Clears `asset` for viewing, reading the consent register afresh (so a withdrawal made while a page is open
    /// stops the next read). Throws ``EvidenceError/Category/refusedByConsent`` for a restricted pupil's media. When
    /// `audited`, records one `view` entry per pupil shown before returning, as ``MediaReader`` does for `cat`.
    public func pass(for asset: AssetRecord, audited: Bool) throws(EvidenceError) -> ViewPass {
        let clearance =
            audited
            ? try session.clearOutput("view", asset: asset, reason: nil, detail: "page")
            : try session.checkConsent(for: asset)
        return ViewPass(asset: asset, clearance: clearance)
    }

    /// The asset's decrypted bytes for random access (only the chunks read are decrypted).
    public func media(_ pass: ViewPass) throws(EvidenceError) -> BlobReader {
        try library.openBlob(pass.asset)
    }

    /// An upright JPEG poster of a photo, or of a video's frame at `atMs`, `width` wide, from the sealed cache; nil
    /// for a photo the decoders here cannot read (HEIC, AVIF).
    public func poster(_ pass: ViewPass, atMs: Int64 = 0, width: Int = 320) throws(EvidenceError) -> Data? {
        guard (16...4096).contains(width) else {
            throw EvidenceError(.usage, "The width must be between 16 and 4096 pixels.", field: Field("width"), value: String(width))
        }
        return try ThumbnailMaker(session).poster(of: pass.asset, atMs: atMs, width: width)
    }
}
