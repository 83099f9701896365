import Catalogue

/// A range of an asset as it is tagged: a video takes an optional range inside its length, a photo none.
enum MomentRange {
    /// Checks `from`/`to` (ms) against the asset; nil, nil means the whole asset.
    static func checked(_ asset: AssetRecord, from: Int64?, to: Int64?) throws(EvidenceError) -> (start: Int64?, end: Int64?) {
        guard from != nil || to != nil else { return (nil, nil) }
        guard asset.kind == .video else {
            throw EvidenceError(
                .usage, "Asset \(asset.id.short) is a photo: it is tagged whole, without a range.", field: Field("from"))
        }
        let start = from ?? 0
        guard let end = to ?? asset.durationMs else {
            throw EvidenceError(
                .usage, "The length of video \(asset.id.short) is unknown, so the end is needed.", field: Field("to"),
                remedy: .giveEnd)
        }
        guard end > start else {
            throw EvidenceError(
                .usage, "The end (\(TimeCode.format(end))) must come after the start (\(TimeCode.format(start))).",
                field: Field("to"), value: TimeCode.format(end))
        }
        if let durationMs = asset.durationMs, end > durationMs + 1 {
            throw EvidenceError(
                .usage,
                "The end \(TimeCode.format(end)) is past the end of video \(asset.id.short), which lasts \(TimeCode.format(durationMs)).",
                field: Field("to"), value: TimeCode.format(end))
        }
        return (start, end)
    }
}
