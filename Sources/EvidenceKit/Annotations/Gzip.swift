import CZlib
import Foundation

/// gzip (RFC 1952) inflation with zlib, for `.boris.gz` projects: bounded, every return code checked.
enum Gzip {
    /// Whether `data` starts with gzip's magic bytes.
    static func isCompressed(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B
    }

    /// The inflated bytes of a whole gzip stream; an error naming `name` when it is damaged, cut short, or would
    /// grow past `limit` bytes.
    static func inflate(_ data: Data, limit: Int, name: String) throws(EvidenceError) -> Data {
        var stream = z_stream()
        // 15 window bits + 16: a gzip header and trailer (not zlib's, not raw deflate).
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw EvidenceError(.failure, "\(name) could not be opened: zlib did not start.")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var input = [UInt8](data)
        var status: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            while status == Z_OK {
                buffer.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: target[0..<(target.count - Int(stream.avail_out))])
                }
                if output.count > limit { status = Z_MEM_ERROR }
                if status == Z_BUF_ERROR, stream.avail_in == 0 { break }
            }
        }
        switch status {
        case Z_STREAM_END:
            return output
        case Z_MEM_ERROR where output.count > limit:
            throw EvidenceError(.usage, "\(name) inflates to more than \(limit >> 20) MiB: it is not a project this can read.")
        case Z_BUF_ERROR, Z_OK:
            throw EvidenceError(.usage, "\(name) is cut short: the compressed data ends too soon. Save it again from BORIS.")
        default:
            throw EvidenceError(.usage, "\(name) is not valid gzip data (zlib error \(status)). Save it again from BORIS.")
        }
    }
}
