public import Foundation

/// Reads a file's metadata: photos by content (JPEG, HEIC/HEIF/AVIF, PNG, WebP, TIFF) and videos through
/// libavformat (MP4, MOV, M4V, 3GP, MKV, WebM, AVI).
///
/// ```swift
/// let info = try MediaProbe.probe(path: "/media/card/DCIM/100APPLE/IMG_0042.HEIC")
/// print(info.capturedAt, info.captureTimeSource, info.make ?? "?")
/// ```
public enum MediaProbe {
    /// The zone used for wall-clock Exif times that carry no offset.
    public static let defaultTimeZone = TimeZone(identifier: "Europe/London") ?? TimeZone(secondsFromGMT: 0) ?? .current

    /// Probes one file.
    ///
    /// - Throws: ``MediaError`` with code `notMedia` for files that are not photos or videos (skip them), `empty`,
    ///   `corrupt` (damaged or truncated media: report it), or `unreadable`.
    public static func probe(path: String, timeZone: TimeZone = defaultTimeZone) throws(MediaError) -> MediaInfo {
        let file = try RandomAccessFile(path: path)
        let name = file.name
        guard file.size > 0 else {
            throw MediaError(code: .empty, message: "\(name) is empty (0 bytes). Copy it again from the device.")
        }
        let head = try file.bytes(at: 0, count: Int(min(file.size, 64))) ?? []
        let mtime = modificationDate(path)
        switch ContentSniffer.sniff(head) {
        case .jpeg: return try photo(PhotoContainers.jpeg(file), "image/jpeg", file, mtime, timeZone)
        case .png: return try photo(PhotoContainers.png(file), "image/png", file, mtime, timeZone)
        case .webp: return try photo(PhotoContainers.webp(file), "image/webp", file, mtime, timeZone)
        case .tiff: return try photo(PhotoContainers.tiff(file), "image/tiff", file, mtime, timeZone)
        case .heif(let type): return try photo(HEIFReader.read(path: path, name: name), type, file, mtime, timeZone)
        case .video(let type): return try video(path: path, contentType: type, file, mtime)
        case .unknown:
            throw MediaError(code: .notMedia, message: "\(name) is not a photo or video (skipped).")
        }
    }

    private static func photo(
        _ structure: PhotoStructure,
        _ contentType: String,
        _ file: RandomAccessFile,
        _ mtime: Date,
        _ zone: TimeZone
    ) throws(MediaError) -> MediaInfo {
        let exif = structure.exifBlock.flatMap { ExifFields(block: $0) }
        var info = MediaInfo(
            kind: .photo,
            contentType: contentType,
            byteSize: file.size,
            capturedAt: mtime,
            captureTimeSource: .fileModified,
            make: exif?.make,
            model: exif?.model,
            latitude: exif?.latitude,
            longitude: exif?.longitude,
            altitude: exif?.altitude,
            width: structure.width ?? exif?.pixelWidth,
            height: structure.height ?? exif?.pixelHeight,
            raw: exif?.raw ?? [:]
        )
        if let orientation = exif?.orientation {
            (info.rotation, info.mirrored) = orientationTransform(orientation)
        }
        if let text = exif?.dateTimeOriginal, let fields = CaptureTime.exifWallClock(text) {
            let fraction = exif?.subSecTimeOriginal.flatMap { Double("0." + $0.filter(\.isNumber)) } ?? 0
            if let offset = exif?.offsetTimeOriginal.flatMap(CaptureTime.offset),
                let date = CaptureTime.instant(fields, offsetSeconds: offset, fraction: fraction)
            {
                info.capturedAt = date
                info.utcOffsetSeconds = offset
                info.captureTimeSource = .exifOffset
            } else if let date = CaptureTime.instant(fields, in: zone) {
                info.capturedAt = date.addingTimeInterval(fraction)
                info.utcOffsetSeconds = zone.secondsFromGMT(for: date)
                info.captureTimeSource = .exifLocal
            }
        }
        return info
    }

    private static func video(
        path: String,
        contentType: String,
        _ file: RandomAccessFile,
        _ mtime: Date
    ) throws(MediaError) -> MediaInfo {
        let facts = try VideoProbe.probe(path: path, name: file.name, fileSize: file.size)
        let tags = facts.tags
        var info = MediaInfo(
            kind: .video,
            contentType: contentType,
            byteSize: file.size,
            capturedAt: mtime,
            captureTimeSource: .fileModified,
            make: tags["com.apple.quicktime.make"] ?? tags["make"] ?? tags["com.android.manufacturer"],
            model: tags["com.apple.quicktime.model"] ?? tags["model"] ?? tags["com.android.model"],
            rotation: facts.rotation,
            width: facts.width,
            height: facts.height,
            durationSeconds: facts.durationSeconds,
            videoCodec: facts.videoCodec,
            audioCodec: facts.audioCodec,
            frameRate: facts.frameRate
        )
        let keep = ["creation_time", "com.apple.quicktime.creationdate", "location", "com.apple.quicktime.location.ISO6709",
                    "com.apple.quicktime.make", "com.apple.quicktime.model", "make", "model", "major_brand", "encoder"]
        for key in keep { if let value = tags[key] { info.raw["QuickTime:" + key] = value } }
        if let location = tags["com.apple.quicktime.location.ISO6709"] ?? tags["location"],
            let place = CaptureTime.iso6709(location)
        {
            (info.latitude, info.longitude, info.altitude) = (place.latitude, place.longitude, place.altitude)
        }
        if let text = tags["com.apple.quicktime.creationdate"], let parsed = CaptureTime.iso8601(text) {
            info.capturedAt = parsed.date
            info.utcOffsetSeconds = parsed.offsetSeconds
            info.captureTimeSource = .quicktimeCreationDate
        } else if let text = tags["creation_time"], let parsed = CaptureTime.iso8601(text),
            parsed.date > Date(timeIntervalSince1970: 315_532_800)  // a zeroed clock reads 1904 or 1970
        {
            info.capturedAt = parsed.date
            info.captureTimeSource = .containerUTC
        }
        return info
    }

    /// Exif orientation (1–8) → degrees clockwise to display upright, and whether the image is mirrored.
    static func orientationTransform(_ orientation: Int) -> (rotation: Int, mirrored: Bool) {
        switch orientation {
        case 2: (0, true)
        case 3: (180, false)
        case 4: (180, true)
        case 5: (90, true)
        case 6: (90, false)
        case 7: (270, true)
        case 8: (270, false)
        default: (0, false)
        }
    }

    private static func modificationDate(_ path: String) -> Date {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.modificationDate] as? Date) ?? Date()
    }
}
