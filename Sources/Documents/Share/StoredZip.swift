import Foundation

/// Writes a zip archive of stored (uncompressed) entries: the share bundle's files are ciphertext, which does not
/// compress, and a browser reads a stored entry with one `File.slice()`. No zip64: every entry and the whole archive
/// stay under 4 GiB (a bundle holds short clips and photos).
struct StoredZip {
    private var handle: FileHandle
    private var offset: UInt32 = 0
    private var central: [UInt8] = []
    private var count: UInt16 = 0

    /// Starts an archive at `url` (created or replaced).
    init(at url: URL) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        handle = try FileHandle(forWritingTo: url)
    }

    /// Adds an entry.
    mutating func add(_ name: String, _ data: Data) throws {
        guard data.count < Int(UInt32.max) - 1024, Int(offset) + data.count < Int(UInt32.max) - 65_536 else {
            throw DocumentError("The bundle is too large for a zip without zip64 (4 GiB); write it as a folder.")
        }
        let nameBytes = Array(name.utf8)
        let crc = Self.crc32(data)
        func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * UInt32($0)) & 0xFF) } }
        let size = UInt32(data.count)
        // Version 2.0, no flags, stored, a fixed time (1980-01-01: no clue to when it was made).
        let common = u16(20) + u16(0) + u16(0) + u16(0) + u16(0x21) + u32(crc) + u32(size) + u32(size) + u16(UInt16(nameBytes.count))
        let local = u32(0x0403_4B50) + common + u16(0) + nameBytes
        central += u32(0x0201_4B50) + u16(20) + common + u16(0) + u16(0) + u16(0) + u16(0) + u32(0) + u32(offset) + nameBytes
        try handle.write(contentsOf: Data(local))
        try handle.write(contentsOf: data)
        offset += UInt32(local.count) + size
        count += 1
    }

    /// Writes the central directory and closes the archive.
    mutating func finish() throws {
        func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * UInt32($0)) & 0xFF) } }
        let end = u32(0x0605_4B50) + u16(0) + u16(0) + u16(count) + u16(count) + u32(UInt32(central.count)) + u32(offset) + u16(0)
        try handle.write(contentsOf: Data(central + end))
        try handle.synchronize()
        try handle.close()
    }

    /// CRC-32 (ISO 3309, as zip uses it).
    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    private static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
}
