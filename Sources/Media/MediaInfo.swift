public import Foundation

/// Where an asset's capture time came from, best first.
public enum CaptureTimeSource: String, Sendable, Codable, CaseIterable {
    /// Exif `DateTimeOriginal` with `OffsetTimeOriginal`: an exact instant and the camera's zone.
    case exifOffset = "exif-offset"
    /// Exif `DateTimeOriginal` without an offset, read as wall-clock time in the library's zone (DST-correct).
    case exifLocal = "exif-local"
    /// QuickTime `com.apple.quicktime.creationdate`: an instant with the device's local offset.
    case quicktimeCreationDate = "quicktime-creationdate"
    /// The container's `creation_time`: UTC, zone unknown.
    case containerUTC = "container-utc"
    /// Nothing in the file: the file's modification time.
    case fileModified = "file-mtime"
}

/// Whether an asset is a photo or a video.
public enum MediaKind: String, Sendable, Codable {
    /// A still image.
    case photo
    /// A video, with or without sound.
    case video
}

/// Everything the probe learned about one file.
public struct MediaInfo: Sendable, Codable, Equatable {
    /// Photo or video.
    public var kind: MediaKind
    /// MIME type decided from the content, not the extension.
    public var contentType: String
    /// Size of the file in bytes.
    public var byteSize: Int64
    /// The capture instant.
    public var capturedAt: Date
    /// The capture's offset from UTC in seconds, if the file says; nil when only the instant is known.
    public var utcOffsetSeconds: Int?
    /// Where ``capturedAt`` came from.
    public var captureTimeSource: CaptureTimeSource
    /// Device make.
    public var make: String?
    /// Device model.
    public var model: String?
    /// WGS 84 latitude in degrees, north positive.
    public var latitude: Double?
    /// WGS 84 longitude in degrees, east positive.
    public var longitude: Double?
    /// Altitude in metres, if known.
    public var altitude: Double?
    /// Degrees clockwise to turn the stored picture to display it upright (0, 90, 180 or 270).
    public var rotation: Int
    /// Whether the picture is also mirrored (Exif orientations 2, 4, 5, 7).
    public var mirrored: Bool
    /// Stored width in pixels.
    public var width: Int?
    /// Stored height in pixels.
    public var height: Int?
    /// Duration in seconds (videos).
    public var durationSeconds: Double?
    /// Video codec name as libavcodec names it (`h264`, `hevc`).
    public var videoCodec: String?
    /// Audio codec name (`aac`).
    public var audioCodec: String?
    /// Average frame rate (videos).
    public var frameRate: Double?
    /// The original values these fields came from (Exif/QuickTime tag → text), kept verbatim.
    public var raw: [String: String]

    /// Makes a value; fields default to unknown.
    public init(
        kind: MediaKind,
        contentType: String,
        byteSize: Int64,
        capturedAt: Date,
        utcOffsetSeconds: Int? = nil,
        captureTimeSource: CaptureTimeSource,
        make: String? = nil,
        model: String? = nil,
        latitude: Double? = nil,
        longitude: Double? = nil,
        altitude: Double? = nil,
        rotation: Int = 0,
        mirrored: Bool = false,
        width: Int? = nil,
        height: Int? = nil,
        durationSeconds: Double? = nil,
        videoCodec: String? = nil,
        audioCodec: String? = nil,
        frameRate: Double? = nil,
        raw: [String: String] = [:]
    ) {
        self.kind = kind
        self.contentType = contentType
        self.byteSize = byteSize
        self.capturedAt = capturedAt
        self.utcOffsetSeconds = utcOffsetSeconds
        self.captureTimeSource = captureTimeSource
        self.make = make
        self.model = model
        self.latitude = latitude
        self.longitude = longitude
        self.altitude = altitude
        self.rotation = rotation
        self.mirrored = mirrored
        self.width = width
        self.height = height
        self.durationSeconds = durationSeconds
        self.videoCodec = videoCodec
        self.audioCodec = audioCodec
        self.frameRate = frameRate
        self.raw = raw
    }
}
