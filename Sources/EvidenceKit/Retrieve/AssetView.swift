public import Catalogue
public import Foundation
public import Media
import Vault

/// An asset as `assets`, `show` and `probe` print it (`--json` writes `null` where a value is unknown).
public struct AssetView: Encodable, Sendable {
    /// The asset id (nil for a file that was only probed).
    public var id: String?
    /// `photo` or `video`.
    public var kind: String
    /// ISO 8601 with the capture's offset (or the library zone's, when the file gave none).
    public var capturedAt: String
    /// `+01:00`, or nil when the file said nothing about its zone.
    public var utcOffset: String?
    /// Where the time came from.
    public var captureTimeSource: String
    /// Device make.
    public var make: String?
    /// Device model.
    public var model: String?
    /// Latitude (decrypted from the sealed column).
    public var latitude: Double?
    /// Longitude.
    public var longitude: Double?
    /// Altitude in metres.
    public var altitude: Double?
    /// Degrees clockwise to display upright.
    public var rotation: Int
    /// Mirrored.
    public var mirrored: Bool
    /// Stored width.
    public var width: Int?
    /// Stored height.
    public var height: Int?
    /// Duration in seconds.
    public var durationSeconds: Double?
    /// Video codec.
    public var videoCodec: String?
    /// Audio codec.
    public var audioCodec: String?
    /// Frame rate.
    public var frameRate: Double?
    /// Size in bytes.
    public var byteSize: Int64
    /// MIME type.
    public var contentType: String
    /// The name on the card (decrypted).
    public var originalName: String?
    /// When it was ingested (nil for a file that was only probed).
    public var ingestedAt: String?
    /// The raw tag values (only in `show`).
    public var raw: [String: String]?
    /// Whether consent keeps it back (outputs of it are refused).
    public var restricted = false
    /// Why, one line per pupil it shows (empty when it may be used).
    public var restrictions: [String] = []

    /// What ingest would store for a file, before it is stored (`probe`): no id, nothing sealed, the same keys.
    public static func probed(_ info: MediaInfo, name: String, timeZone: TimeZone) -> AssetView {
        AssetView(
            id: nil, kind: info.kind.rawValue,
            capturedAt: CaptureTime.format(
                info.capturedAt, offsetSeconds: info.utcOffsetSeconds ?? timeZone.secondsFromGMT(for: info.capturedAt)),
            utcOffset: info.utcOffsetSeconds.map(AssetBrowser.formatOffset),
            captureTimeSource: info.captureTimeSource.rawValue, make: info.make, model: info.model,
            latitude: info.latitude.map(Rounded.degrees), longitude: info.longitude.map(Rounded.degrees),
            altitude: info.altitude.map(Rounded.metres), rotation: info.rotation, mirrored: info.mirrored,
            width: info.width, height: info.height, durationSeconds: info.durationSeconds.map(Rounded.seconds),
            videoCodec: info.videoCodec, audioCodec: info.audioCodec, frameRate: info.frameRate.map(Rounded.seconds),
            byteSize: info.byteSize, contentType: info.contentType, originalName: name, ingestedAt: nil, raw: info.raw)
    }
}

/// Lists assets as staff see them, sealed fields opened in memory.
public struct AssetBrowser: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// The printable view of an asset, with sealed fields opened in memory.
    public func view(of asset: AssetRecord, includeRaw: Bool = false) throws(EvidenceError) -> AssetView {
        try marked([plainView(of: asset, includeRaw: includeRaw)], [asset])[0]
    }

    /// Every asset consent keeps back, with why (`evidence restricted`): what awaits the school's decision.
    public func restrictedAssets() throws(EvidenceError) -> [AssetView] {
        try assetViews().filter(\.restricted)
    }

    /// The views marked with what the consent gate says of each asset today.
    private func marked(_ views: [AssetView], _ records: [AssetRecord]) throws(EvidenceError) -> [AssetView] {
        let gate = try session.consentGate()
        let directory = try library.pupilDirectory()
        let shown: [AssetID: Set<PupilID>]
        do { shown = try catalogue.read { store in try store.pupilsShown(assetIDs: records.map(\.id)) } } catch {
            throw EvidenceError.from(error)
        }
        return zip(views, records).map { view, record in
            var view = view
            view.restrictions = gate.restrictions(
                showing: shown[record.id] ?? [], capturedOn: CalendarDate.day(of: record.capturedAt, in: timeZone)
            ).map { "\(directory.pupil(id: $0.pupil)?.handle ?? "?"): \($0)" }
            view.restricted = !view.restrictions.isEmpty
            return view
        }
    }

    private func plainView(of asset: AssetRecord, includeRaw: Bool) throws(EvidenceError) -> AssetView {
        do {
            var latitude: Double?, longitude: Double?, altitude: Double?
            if let gps = asset.gpsSealed {
                let parts = try library.master.open(gps, context: "asset.gps").split(separator: ",").compactMap { Double($0) }
                if parts.count >= 2 { (latitude, longitude) = (Rounded.degrees(parts[0]), Rounded.degrees(parts[1])) }
                if parts.count >= 3 { altitude = Rounded.metres(parts[2]) }
            }
            var raw: [String: String]? = nil
            if includeRaw, let sealed = asset.rawMetadataSealed {
                let json = try library.master.open(sealed, context: "asset.raw_metadata")
                raw = try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
            }
            let offset = asset.utcOffsetSeconds ?? timeZone.secondsFromGMT(for: asset.capturedAt)
            return AssetView(
                id: asset.id.rawValue,
                kind: asset.kind.rawValue,
                capturedAt: CaptureTime.format(asset.capturedAt, offsetSeconds: offset),
                utcOffset: asset.utcOffsetSeconds.map(Self.formatOffset),
                captureTimeSource: asset.captureTimeSource,
                make: asset.make,
                model: asset.model,
                latitude: latitude,
                longitude: longitude,
                altitude: altitude,
                rotation: asset.rotation,
                mirrored: asset.mirrored,
                width: asset.width,
                height: asset.height,
                durationSeconds: asset.durationSeconds.map(Rounded.seconds),
                videoCodec: asset.videoCodec,
                audioCodec: asset.audioCodec,
                frameRate: asset.frameRate.map(Rounded.seconds),
                byteSize: asset.byteSize,
                contentType: asset.contentType,
                originalName: try library.master.open(asset.originalNameSealed, context: "asset.original_name"),
                ingestedAt: CaptureTime.format(asset.ingestedAt, offsetSeconds: 0),
                raw: raw
            )
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// `+01:00` style.
    static func formatOffset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let total = abs(seconds)
        return String(format: "%@%02d:%02d", sign, total / 3600, (total % 3600) / 60)
    }

    /// Every asset's view, oldest capture first.
    public func assetViews() throws(EvidenceError) -> [AssetView] {
        let records: [AssetRecord]
        do { records = try catalogue.read { store in try store.allAssets() } } catch { throw EvidenceError.from(error) }
        return try views(of: records)
    }

    /// Views of several assets, marked with one reading of the consent register.
    func views(of records: [AssetRecord]) throws(EvidenceError) -> [AssetView] {
        var views: [AssetView] = []
        views.reserveCapacity(records.count)
        for record in records { views.append(try plainView(of: record, includeRaw: false)) }
        return try marked(views, records)
    }
}
