import Foundation
internal import Vault

/// Bounds-checked reads from a file for the small hand-written container walks (JPEG, PNG, WebP).
struct RandomAccessFile {
    let file: SystemFile
    let size: Int64
    let name: String

    init(path: String) throws(MediaError) {
        name = (path as NSString).lastPathComponent
        do {
            file = try SystemFile.openForReading(path)
            size = try file.size()
        } catch {
            throw MediaError(code: .unreadable, message: error.message, cause: error)
        }
    }

    /// Exactly `count` bytes at `offset`, or nil if the file ends first.
    func bytes(at offset: Int64, count: Int) throws(MediaError) -> [UInt8]? {
        guard offset >= 0, count >= 0, offset + Int64(count) <= size else { return nil }
        var buffer = [UInt8](repeating: 0, count: count)
        let file = self.file
        let got: Int
        do {
            got = try buffer.withUnsafeMutableBytes { try file.read(into: $0, at: offset) }
        } catch let error as VaultError {
            throw MediaError(code: .unreadable, message: error.message, cause: error)
        } catch {
            throw MediaError(code: .unreadable, message: "\(name) could not be read.")
        }
        return got == count ? buffer : nil
    }
}

/// Big- or little-endian integer reads from a byte array, bounds-checked (nil past the end).
extension Array where Element == UInt8 {
    func be16(_ at: Int) -> Int? {
        guard at >= 0, at + 2 <= count else { return nil }
        return Int(self[at]) << 8 | Int(self[at + 1])
    }
    func be32(_ at: Int) -> Int? {
        guard at >= 0, at + 4 <= count else { return nil }
        return Int(self[at]) << 24 | Int(self[at + 1]) << 16 | Int(self[at + 2]) << 8 | Int(self[at + 3])
    }
    func le16(_ at: Int) -> Int? {
        guard at >= 0, at + 2 <= count else { return nil }
        return Int(self[at]) | Int(self[at + 1]) << 8
    }
    func le24(_ at: Int) -> Int? {
        guard at >= 0, at + 3 <= count else { return nil }
        return Int(self[at]) | Int(self[at + 1]) << 8 | Int(self[at + 2]) << 16
    }
    func le32(_ at: Int) -> Int? {
        guard at >= 0, at + 4 <= count else { return nil }
        return Int(self[at]) | Int(self[at + 1]) << 8 | Int(self[at + 2]) << 16 | Int(self[at + 3]) << 24
    }
    func ascii(_ at: Int, _ length: Int) -> String? {
        guard at >= 0, at + length <= count else { return nil }
        return String(decoding: self[at..<at + length], as: UTF8.self)
    }
}
