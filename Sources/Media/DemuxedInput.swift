internal import CFFmpeg

/// An input opened through a ``SourceIO``.
final class DemuxedInput {
    let io: SourceIO
    private(set) var format: UnsafeMutablePointer<AVFormatContext>?

    init(source: any RandomAccessSource, name: String) throws {
        try FFmpeg.start(for: name)
        io = try SourceIO(source: source)
        guard let context = avformat_alloc_context() else {
            throw MediaError(code: .codecFailure, message: "Out of memory opening \(name).")
        }
        context.pointee.pb = io.context
        context.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        var opened: UnsafeMutablePointer<AVFormatContext>? = context
        let rc = avformat_open_input(&opened, nil, nil, nil)
        if let failure = io.failure { throw failure }
        guard rc >= 0, let opened else {
            throw MediaError.corrupt(name, "its container cannot be read", cause: FFmpeg.failure("avformat_open_input", rc))
        }
        format = opened
        let info = avformat_find_stream_info(opened, nil)
        if let failure = io.failure { throw failure }
        guard info >= 0 else {
            throw MediaError.corrupt(name, "its streams cannot be read", cause: FFmpeg.failure("avformat_find_stream_info", info))
        }
    }

    deinit {
        avformat_close_input(&format)
    }

    /// The first video stream that is not a cover picture.
    var videoStreamIndex: Int? {
        guard let format else { return nil }
        for i in 0..<Int(format.pointee.nb_streams) {
            guard let stream = format.pointee.streams[i], let par = stream.pointee.codecpar else { continue }
            if par.pointee.codec_type == AVMEDIA_TYPE_VIDEO, stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC == 0 {
                return i
            }
        }
        return nil
    }
}
