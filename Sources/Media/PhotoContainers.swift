import Foundation

/// What a photo container walk finds before Exif is parsed.
struct PhotoStructure {
    var width: Int?
    var height: Int?
    var exifBlock: [UInt8]?
}

/// The small hand-written remainder of photo parsing: the JPEG marker walk, the PNG chunk walk and the WebP RIFF
/// walk. No library in Debian exposes just "where is the Exif block and how big is the frame" for these; every read
/// is bounds-checked against the file size, and `Tests/MediaTests/ContainerFuzzTests.swift` feeds them mutated files.
enum PhotoContainers {
    /// Walks JPEG segments from SOI to SOS: the frame size (SOF) and the APP1 Exif block. A file that stops before
    /// its end-of-image marker is truncated.
    static func jpeg(_ file: RandomAccessFile) throws(MediaError) -> PhotoStructure {
        var result = PhotoStructure()
        var offset: Int64 = 2
        var sawFrame = false
        var scanStart: Int64 = 2
        while true {
            guard let marker = try file.bytes(at: offset, count: 4) else {
                throw MediaError.corrupt(file.name, "the JPEG ends inside its header (the file is truncated)")
            }
            guard marker[0] == 0xFF else {
                throw MediaError.corrupt(file.name, "the JPEG header is damaged at byte \(offset)")
            }
            let type = marker[1]
            if type == 0xFF {  // fill byte
                offset += 1
                continue
            }
            if type == 0xD8 || (0xD0...0xD7).contains(type) || type == 0x01 {
                offset += 2
                continue
            }
            guard let length = marker.be16(2), length >= 2 else {
                throw MediaError.corrupt(file.name, "a JPEG segment has an impossible length")
            }
            let payloadOffset = offset + 4
            if type == 0xDA {  // start of scan: entropy-coded data follows
                scanStart = payloadOffset
                break
            }
            if type == 0xE1, result.exifBlock == nil, length > 8,
                let payload = try file.bytes(at: payloadOffset, count: length - 2),
                payload.starts(with: Array("Exif\0\0".utf8))
            {
                result.exifBlock = payload
            }
            // SOF0–SOF15 except DHT (C4), JPG (C8), DAC (CC).
            if (0xC0...0xCF).contains(type), type != 0xC4, type != 0xC8, type != 0xCC,
                let frame = try file.bytes(at: payloadOffset, count: 5)
            {
                result.height = frame.be16(1)
                result.width = frame.be16(3)
                sawFrame = true
            }
            offset = payloadOffset + Int64(length - 2)
        }
        guard sawFrame else { throw MediaError.corrupt(file.name, "the JPEG has no frame header") }
        try requireJPEGEnd(file, scanStart: scanStart)
        return result
    }

    /// A complete JPEG ends with FF D9, possibly followed by padding some phones add (zero or 0xFF bytes up to a
    /// block size: tens of kilobytes), which is skipped backwards a block at a time, up to 4 MiB of it. Or it is
    /// followed by a trailer (Samsung's `SEFT` block, a vendor's data): then an FF D9 must lie in the last MiB after
    /// the scan started. Inside entropy-coded data every FF is followed by 00 or a restart marker, so a file really
    /// cut there has no FF D9 to find.
    private static func requireJPEGEnd(_ file: RandomAccessFile, scanStart: Int64) throws(MediaError) {
        let block: Int64 = 65_536
        var end = file.size
        var padding: Int64 = 0
        while end > 0, padding <= 4 << 20 {
            let start = max(0, end - block)
            guard let tail = try file.bytes(at: start, count: Int(end - start)) else { return }
            var index = tail.count
            while index > 0, tail[index - 1] == 0x00 || tail[index - 1] == 0xFF { index -= 1 }
            if index > 0 {
                // The last byte that is not padding closes an FF D9 (its FF may be the first padding byte)…
                let last = tail[index - 1]
                let before: UInt8? = index >= 2 ? tail[index - 2] : (start > 0 ? try file.bytes(at: start - 1, count: 1)?.first : nil)
                if last == 0xD9 && before == 0xFF { return }
                // …or a trailer follows an FF D9 somewhere before it.
                if try hasEndMarker(file, from: max(scanStart, start + Int64(index) - (1 << 20)), to: start + Int64(index)) { return }
                throw MediaError.corrupt(file.name, "the JPEG is truncated (it has no end-of-image marker)")
            }
            padding += end - start
            end = start
        }
        throw MediaError.corrupt(file.name, "the JPEG is truncated (it has no end-of-image marker)")
    }

    /// Whether FF D9 occurs in `[from, to)`, read backwards in blocks (overlapping by a byte, so a pair split across
    /// two blocks is found).
    private static func hasEndMarker(_ file: RandomAccessFile, from: Int64, to: Int64) throws(MediaError) -> Bool {
        var end = to
        while end - from >= 2 {
            let start = max(from, end - 65_536)
            guard let bytes = try file.bytes(at: start, count: Int(end - start)) else { return false }
            for index in stride(from: bytes.count - 1, to: 0, by: -1) where bytes[index] == 0xD9 && bytes[index - 1] == 0xFF {
                return true
            }
            if start == from { break }
            end = start + 1
        }
        return false
    }


    /// Walks PNG chunks to IEND: IHDR size and the `eXIf` chunk. Every chunk must fit in the file.
    static func png(_ file: RandomAccessFile) throws(MediaError) -> PhotoStructure {
        var result = PhotoStructure()
        var offset: Int64 = 8
        var sawEnd = false
        while offset < file.size {
            guard let head = try file.bytes(at: offset, count: 8), let length = head.be32(0),
                offset + 12 + Int64(length) <= file.size
            else {
                throw MediaError.corrupt(file.name, "the PNG is truncated (a chunk runs past the end of the file)")
            }
            let type = head.ascii(4, 4) ?? ""
            if type == "IHDR", let ihdr = try file.bytes(at: offset + 8, count: min(length, 8)) {
                result.width = ihdr.be32(0)
                result.height = ihdr.be32(4)
            } else if type == "eXIf", length <= 1 << 20 {
                result.exifBlock = try file.bytes(at: offset + 8, count: length)
            } else if type == "IEND" {
                sawEnd = true
                break
            }
            offset += 12 + Int64(length)
        }
        guard sawEnd, result.width != nil else {
            throw MediaError.corrupt(file.name, "the PNG is truncated (it has no end chunk)")
        }
        return result
    }

    /// Walks WebP RIFF chunks: VP8X/VP8/VP8L size and the `EXIF` chunk. The RIFF size must match the file.
    static func webp(_ file: RandomAccessFile) throws(MediaError) -> PhotoStructure {
        var result = PhotoStructure()
        guard let riff = try file.bytes(at: 0, count: 12), let riffSize = riff.le32(4),
            Int64(riffSize) + 8 <= file.size
        else {
            throw MediaError.corrupt(file.name, "the WebP file is truncated")
        }
        var offset: Int64 = 12
        let end = Int64(riffSize) + 8
        while offset + 8 <= end {
            guard let head = try file.bytes(at: offset, count: 8), let length = head.le32(4),
                offset + 8 + Int64(length) <= end
            else {
                throw MediaError.corrupt(file.name, "the WebP file is truncated (a chunk runs past its end)")
            }
            let type = head.ascii(0, 4) ?? ""
            let body = offset + 8
            switch type {
            case "VP8X":
                if let b = try file.bytes(at: body, count: 10), let w = b.le24(4), let h = b.le24(7) {
                    result.width = w + 1
                    result.height = h + 1
                }
            case "VP8 " where result.width == nil:
                if let b = try file.bytes(at: body, count: 10), let w = b.le16(6), let h = b.le16(8) {
                    result.width = w & 0x3FFF
                    result.height = h & 0x3FFF
                }
            case "VP8L" where result.width == nil:
                if let b = try file.bytes(at: body, count: 5), let bits = b.le32(1) {
                    result.width = (bits & 0x3FFF) + 1
                    result.height = ((bits >> 14) & 0x3FFF) + 1
                }
            case "EXIF" where length <= 1 << 20:
                result.exifBlock = try file.bytes(at: body, count: length)
            default:
                break
            }
            offset = body + Int64(length) + Int64(length & 1)
        }
        guard result.width != nil else { throw MediaError.corrupt(file.name, "the WebP file has no image data") }
        return result
    }

    /// A TIFF file is itself a TIFF structure: libexif reads its tags (capped at 16 MiB of header). The first IFD
    /// must lie inside the file with all its entries, and gives the frame size (ImageWidth 256, ImageLength 257).
    static func tiff(_ file: RandomAccessFile) throws(MediaError) -> PhotoStructure {
        let count = Int(min(file.size, 16 << 20))
        guard let bytes = try file.bytes(at: 0, count: count), bytes.count >= 8 else {
            throw MediaError.corrupt(file.name, "the TIFF file is truncated (no header)")
        }
        let little = bytes[0] == 0x49
        func u16(_ at: Int) -> Int? { little ? bytes.le16(at) : bytes.be16(at) }
        func u32(_ at: Int) -> Int? { little ? bytes.le32(at) : bytes.be32(at) }
        guard let ifd = u32(4), ifd >= 8, let entries = u16(ifd), entries > 0, ifd + 2 + 12 * entries + 4 <= bytes.count
        else {
            throw MediaError.corrupt(file.name, "the TIFF file is truncated (its first directory is missing or cut short)")
        }
        var result = PhotoStructure(width: nil, height: nil, exifBlock: bytes)
        for index in 0..<entries {
            let entry = ifd + 2 + 12 * index
            guard let tag = u16(entry), let type = u16(entry + 2), tag == 256 || tag == 257 else { continue }
            let value = type == 3 ? u16(entry + 8) : type == 4 ? u32(entry + 8) : nil
            if tag == 256 { result.width = value } else { result.height = value }
        }
        return result
    }
}
