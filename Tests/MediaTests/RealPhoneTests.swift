import Foundation
@testable import Media
import TestSupport
import Testing

/// What real phones write and the tests' own fixtures did not: padding after the end of a JPEG, GPS as signed
/// rationals with the tags out of order, and sub-second capture times. Files are made here, byte by byte.
@Suite struct RealPhoneTests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-phone-\(UUID().uuidString)")

    /// A plain JPEG with no metadata (ffmpeg's test pattern).
    func plainJPEG() throws -> Data {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("plain.jpg").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = [
            "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1", "-map_metadata", "-1",
            "-fflags", "+bitexact", "-flags:v", "+bitexact", path,
        ]
        try process.run()
        process.waitUntilExit()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// A little-endian TIFF block: IFD0 (Make, Exif and GPS pointers), an Exif IFD (DateTimeOriginal and
    /// SubSecTimeOriginal), and a GPS IFD whose entries are written out of tag order, latitude and longitude as
    /// SRATIONAL (type 10).
    static func phoneExif() -> [UInt8] {
        var out: [UInt8] = Array("II".utf8) + [0x2A, 0x00, 0x08, 0x00, 0x00, 0x00]
        func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * $0) & 0xFF) } }
        func i32(_ v: Int32) -> [UInt8] { u32(Int(UInt32(bitPattern: v))) }
        // Layout: IFD0 at 8 (3 entries), Exif IFD, GPS IFD, then the values they point to.
        let ifd0 = 8, ifd0Size = 2 + 3 * 12 + 4
        let exifIFD = ifd0 + ifd0Size, exifSize = 2 + 2 * 12 + 4
        let gpsIFD = exifIFD + exifSize, gpsSize = 2 + 4 * 12 + 4
        var data = gpsIFD + gpsSize
        var values: [UInt8] = []
        func place(_ bytes: [UInt8]) -> Int {
            let at = data + values.count
            values += bytes
            if values.count % 2 == 1 { values.append(0) }
            return at
        }
        func entry(_ tag: Int, _ type: Int, _ count: Int, _ value: [UInt8]) -> [UInt8] {
            u16(tag) + u16(type) + u32(count) + (value.count <= 4 ? value + [UInt8](repeating: 0, count: 4 - value.count) : u32(place(value)))
        }
        let make = Array("PhoneCo\0".utf8)
        let date = Array("2026:05:02 13:40:00\0".utf8)
        let sub = Array("250\0".utf8)
        // 52° 30' 0" N and 1° 54' 0" W, as signed rationals.
        let latitude = i32(52) + i32(1) + i32(30) + i32(1) + i32(0) + i32(1)
        let longitude = i32(1) + i32(1) + i32(54) + i32(1) + i32(0) + i32(1)
        var ifd0Bytes = u16(3)
        ifd0Bytes += entry(0x010F, 2, make.count, make)
        ifd0Bytes += entry(0x8769, 4, 1, u32(exifIFD))
        ifd0Bytes += entry(0x8825, 4, 1, u32(gpsIFD))
        ifd0Bytes += u32(0)
        var exifBytes = u16(2)
        exifBytes += entry(0x9003, 2, date.count, date)
        exifBytes += entry(0x9291, 2, sub.count, sub)
        exifBytes += u32(0)
        var gpsBytes = u16(4)
        gpsBytes += entry(0x0004, 10, 3, longitude)  // out of order: 4, 2, 3, 1
        gpsBytes += entry(0x0002, 10, 3, latitude)
        gpsBytes += entry(0x0003, 2, 2, Array("W\0".utf8))
        gpsBytes += entry(0x0001, 2, 2, Array("N\0".utf8))
        gpsBytes += u32(0)
        out += ifd0Bytes + exifBytes + gpsBytes + values
        data = 0
        return out
    }

    /// The JPEG with an APP1 Exif segment after its start-of-image marker.
    func phoneJPEG() throws -> Data {
        let plain = try plainJPEG()
        let payload = Array("Exif\0\0".utf8) + Self.phoneExif()
        let segment: [UInt8] = [0xFF, 0xE1, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        return Data(plain.prefix(2)) + Data(segment) + plain.dropFirst(2)
    }

    @Test func aPhoneJPEGPaddedAfterItsEndIsAcceptedWithItsMetadata() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let photo = try phoneJPEG()
        let padded = dir.appendingPathComponent("padded.jpg")
        try (photo + Data(count: 37_000)).write(to: padded)
        let info = try MediaProbe.probe(path: padded.path)
        #expect(info.make == "PhoneCo" && info.width == 320)
        // A vendor's trailer after the end-of-image marker (Samsung writes one ending in "SEFT"): accepted too.
        let trailer = dir.appendingPathComponent("trailer.jpg")
        try (photo + Data("\u{0}\u{0}SEFH\u{1}\u{0}\u{0}\u{0}Image_UTC_Data1767225600000SEFT".utf8)).write(to: trailer)
        #expect(try MediaProbe.probe(path: trailer.path).make == "PhoneCo")
        // Really cut inside the image data: refused, naming the file.
        let cut = dir.appendingPathComponent("cut.jpg")
        try photo.prefix(photo.count - 600).write(to: cut)
        #expect(throws: MediaError.self) { _ = try MediaProbe.probe(path: cut.path) }
        // Cut inside the image data and then given a trailer: still refused (no end-of-image marker before it).
        let cutWithTrailer = dir.appendingPathComponent("cut-trailer.jpg")
        try (photo.prefix(photo.count - 600) + Data("SEFT".utf8)).write(to: cutWithTrailer)
        #expect(throws: MediaError.self) { _ = try MediaProbe.probe(path: cutWithTrailer.path) }
    }

    @Test func signedRationalGPSOutOfOrderAndSubSecondsAreRead() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("phone.jpg")
        try phoneJPEG().write(to: file)
        let info = try MediaProbe.probe(path: file.path, timeZone: TimeZone(identifier: "Europe/London")!)
        // exiftool, the reference, reads the same place.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/exiftool")
        process.arguments = ["-n", "-json", "-GPSLatitude", "-GPSLongitude", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let tags = try #require((try JSONSerialization.jsonObject(with: output) as? [[String: Any]])?.first)
        let lat = try #require(tags["GPSLatitude"] as? Double), lon = try #require(tags["GPSLongitude"] as? Double)
        #expect(abs(lat - 52.5) < 1e-9 && abs(lon + 1.9) < 1e-9, "the reference: \(tags)")
        #expect(abs((info.latitude ?? 0) - lat) < 1e-6 && abs((info.longitude ?? 0) - lon) < 1e-6, "\(String(describing: info.latitude)) \(String(describing: info.longitude))")
        // 13:40:00.250 British Summer Time.
        let captured = try #require(info.capturedAt)
        #expect(abs(captured.timeIntervalSince1970 - 1_777_725_600.25) < 0.0005, "\(captured.timeIntervalSince1970)")
        #expect(CaptureTime.format(captured, offsetSeconds: 3600) == "2026-05-02T13:40:00.250+01:00")
    }
}
