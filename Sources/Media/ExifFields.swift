import Foundation
internal import CExif

/// The Exif tags the catalogue uses, read with libexif from a TIFF-structured block.
struct ExifFields {
    var make: String?
    var model: String?
    var orientation: Int?
    var dateTimeOriginal: String?
    var offsetTimeOriginal: String?
    var subSecTimeOriginal: String?
    var latitude: Double?
    var longitude: Double?
    var altitude: Double?
    var pixelWidth: Int?
    var pixelHeight: Int?
    var raw: [String: String] = [:]

    /// Parses `block`, which is either `Exif\0\0` + TIFF, or bare TIFF (`II*\0` / `MM\0*`). Nil when libexif finds
    /// nothing: a photo without Exif is normal, not an error.
    init?(block: [UInt8]) {
        guard block.count >= 8 else { return nil }
        let prefixed: [UInt8] = block.starts(with: Array("Exif\0\0".utf8)) ? block : Array("Exif\0\0".utf8) + block
        guard let data = exif_data_new() else { return nil }
        defer { exif_data_unref(data) }
        // FOLLOW_SPECIFICATION would invent mandatory tags (a DateTime of *now*); we want only what the camera wrote.
        exif_data_unset_option(data, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION)
        exif_data_unset_option(data, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS)
        prefixed.withUnsafeBufferPointer { buffer in
            exif_data_load_data(data, buffer.baseAddress, UInt32(buffer.count))
        }
        let order = exif_data_get_byte_order(data)
        let ifd0 = data.pointee.ifd.0
        let exif = data.pointee.ifd.2
        let gps = data.pointee.ifd.3
        let reader = EntryReader(order: order)

        make = reader.string(ifd0, 0x010F)
        model = reader.string(ifd0, 0x0110)
        orientation = reader.integer(ifd0, 0x0112)
        dateTimeOriginal = reader.string(exif, 0x9003)
        offsetTimeOriginal = reader.string(exif, 0x9011)
        subSecTimeOriginal = reader.string(exif, 0x9291)
        pixelWidth = reader.integer(exif, 0xA002) ?? reader.integer(ifd0, 0x0100)
        pixelHeight = reader.integer(exif, 0xA003) ?? reader.integer(ifd0, 0x0101)
        if let lat = reader.degrees(gps, 0x0002), let lon = reader.degrees(gps, 0x0004) {
            latitude = reader.string(gps, 0x0001)?.uppercased().hasPrefix("S") == true ? -lat : lat
            longitude = reader.string(gps, 0x0003)?.uppercased().hasPrefix("W") == true ? -lon : lon
        }
        if let alt = reader.rationals(gps, 0x0006)?.first {
            altitude = reader.integer(gps, 0x0005) == 1 ? -alt : alt
        }
        let named: [(String, String?)] = [
            ("Make", make), ("Model", model), ("Orientation", orientation.map(String.init)),
            ("DateTimeOriginal", dateTimeOriginal), ("OffsetTimeOriginal", offsetTimeOriginal),
            ("SubSecTimeOriginal", subSecTimeOriginal), ("DateTime", reader.string(ifd0, 0x0132)),
            ("OffsetTime", reader.string(exif, 0x9010)),
            ("GPSLatitudeRef", reader.string(gps, 0x0001)), ("GPSLongitudeRef", reader.string(gps, 0x0003)),
            ("GPSLatitude", reader.rationals(gps, 0x0002)?.map { "\($0)" }.joined(separator: " ")),
            ("GPSLongitude", reader.rationals(gps, 0x0004)?.map { "\($0)" }.joined(separator: " ")),
        ]
        for case let (key, value?) in named { raw["Exif:" + key] = value }
        if raw.isEmpty && pixelWidth == nil { return nil }
    }
}

/// Typed reads of libexif entries in one byte order; every pointer and length is checked.
private struct EntryReader {
    let order: ExifByteOrder

    func entry(_ content: UnsafeMutablePointer<ExifContent>?, _ tag: UInt32) -> UnsafeMutablePointer<ExifEntry>? {
        guard let content else { return nil }
        return exif_content_get_entry(content, ExifTag(rawValue: tag))
    }

    func string(_ content: UnsafeMutablePointer<ExifContent>?, _ tag: UInt32) -> String? {
        guard let e = entry(content, tag), let data = e.pointee.data, e.pointee.size > 0 else { return nil }
        guard e.pointee.format == EXIF_FORMAT_ASCII || e.pointee.format == EXIF_FORMAT_UNDEFINED else { return nil }
        let bytes = UnsafeBufferPointer(start: data, count: Int(e.pointee.size)).prefix { $0 != 0 }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : text
    }

    func integer(_ content: UnsafeMutablePointer<ExifContent>?, _ tag: UInt32) -> Int? {
        guard let e = entry(content, tag), let data = e.pointee.data, e.pointee.components >= 1 else { return nil }
        let size = Int(e.pointee.size)
        switch e.pointee.format {
        case EXIF_FORMAT_SHORT where size >= 2: return Int(exif_get_short(data, order))
        case EXIF_FORMAT_LONG where size >= 4: return Int(exif_get_long(data, order))
        case EXIF_FORMAT_BYTE where size >= 1: return Int(data[0])
        default: return nil
        }
    }

    /// RATIONAL or SRATIONAL values (some phones write GPS as signed rationals), as ExifTool reads both.
    func rationals(_ content: UnsafeMutablePointer<ExifContent>?, _ tag: UInt32) -> [Double]? {
        guard let e = entry(content, tag), let data = e.pointee.data,
            e.pointee.format == EXIF_FORMAT_RATIONAL || e.pointee.format == EXIF_FORMAT_SRATIONAL
        else { return nil }
        let count = min(Int(e.pointee.components), Int(e.pointee.size) / 8)
        guard count > 0 else { return nil }
        let signed = e.pointee.format == EXIF_FORMAT_SRATIONAL
        return (0..<count).map { i in
            if signed {
                let r = exif_get_srational(data + 8 * i, order)
                return r.denominator == 0 ? 0 : Double(r.numerator) / Double(r.denominator)
            }
            let r = exif_get_rational(data + 8 * i, order)
            return r.denominator == 0 ? 0 : Double(r.numerator) / Double(r.denominator)
        }
    }

    /// Degrees, minutes, seconds → decimal degrees.
    func degrees(_ content: UnsafeMutablePointer<ExifContent>?, _ tag: UInt32) -> Double? {
        guard let parts = rationals(content, tag), parts.count == 3 else { return nil }
        return parts[0] + parts[1] / 60 + parts[2] / 3600
    }
}
