import Foundation
internal import CFFmpeg

/// Bytes that can be read at any offset: a decrypting vault reader, or a plain file in tests.
public protocol RandomAccessSource: AnyObject {
    /// Total length in bytes.
    var length: Int64 { get }
    /// Reads up to `buffer.count` bytes at `offset`; returns how many (0 at the end).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int
}

/// A custom `AVIOContext` whose read and seek callbacks go to a ``RandomAccessSource``, so libavformat demuxes
/// straight out of the encrypted vault: only the chunks a read touches are decrypted, and no plaintext file exists.
///
/// A source error (e.g. a chunk that fails authentication) is kept in ``failure`` and reported to libavformat as
/// `AVERROR(EIO)`; callers must check ``failure`` after every libavformat call, because demuxers may treat a read
/// error as the end of the file.
final class SourceIO {
    private let source: any RandomAccessSource
    private var position: Int64 = 0
    /// The first error the source threw.
    private(set) var failure: (any Error)?
    /// The context to put in `AVFormatContext.pb`.
    private(set) var context: UnsafeMutablePointer<AVIOContext>?

    /// 64 KiB: one vault chunk per read.
    static let bufferSize: Int32 = 64 * 1024

    init(source: any RandomAccessSource) throws(MediaError) {
        self.source = source
        guard let buffer = av_malloc(Int(Self.bufferSize)) else {
            throw MediaError(code: .codecFailure, message: "Out of memory for the video reader.")
        }
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        context = avio_alloc_context(
            buffer.assumingMemoryBound(to: UInt8.self), Self.bufferSize, 0, opaque,
            { opaque, buffer, size in
                guard let opaque, let buffer else { return cffmpeg_averror(EINVAL) }
                return Unmanaged<SourceIO>.fromOpaque(opaque).takeUnretainedValue().read(buffer, Int(size))
            },
            nil,
            { opaque, offset, whence in
                guard let opaque else { return Int64(cffmpeg_averror(EINVAL)) }
                return Unmanaged<SourceIO>.fromOpaque(opaque).takeUnretainedValue().seek(offset, whence)
            }
        )
        if context == nil {
            av_free(buffer)
            throw MediaError(code: .codecFailure, message: "Could not set up the video reader (avio_alloc_context).")
        }
    }

    deinit {
        if let context {
            // libavformat may have replaced the buffer; free whatever the context holds now.
            av_free(context.pointee.buffer)
            var pointer: UnsafeMutablePointer<AVIOContext>? = context
            avio_context_free(&pointer)
        }
    }

    private func read(_ buffer: UnsafeMutablePointer<UInt8>, _ size: Int) -> Int32 {
        guard failure == nil else { return cffmpeg_averror(EIO) }
        do {
            let count = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size), at: position)
            guard count > 0 else { return cffmpeg_averror_eof() }
            position += Int64(count)
            return Int32(count)
        } catch {
            failure = error
            return cffmpeg_averror(EIO)
        }
    }

    private func seek(_ offset: Int64, _ whence: Int32) -> Int64 {
        let avseekForce: Int32 = 0x20000
        let mode = whence & ~avseekForce
        if mode == cffmpeg_avseek_size() { return source.length }
        let target: Int64
        switch mode {
        case SEEK_SET: target = offset
        case SEEK_CUR: target = position + offset
        case SEEK_END: target = source.length + offset
        default: return Int64(cffmpeg_averror(EINVAL))
        }
        guard target >= 0 else { return Int64(cffmpeg_averror(EINVAL)) }
        position = target
        return target
    }
}
