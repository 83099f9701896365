import Foundation
internal import CFFmpeg

/// What libavformat says about a video container.
struct VideoFacts {
    var formatName: String
    var durationSeconds: Double?
    var width: Int?
    var height: Int?
    var rotation = 0
    var videoCodec: String?
    var audioCodec: String?
    var frameRate: Double?
    var tags: [String: String]
}

/// Video probing through libavformat: headers only, no decoding unless the header leaves codec facts unknown.
enum VideoProbe {
    static func probe(path: String, name: String, fileSize: Int64) throws(MediaError) -> VideoFacts {
        try FFmpeg.start(for: name)
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        let rc = avformat_open_input(&context, path, nil, nil)
        guard rc >= 0, let ctx = context else {
            throw MediaError.corrupt(name, "the video container is damaged or incomplete", cause: FFmpeg.failure("avformat_open_input", rc))
        }
        defer { avformat_close_input(&context) }

        if needsStreamInfo(ctx) {
            let info = avformat_find_stream_info(ctx, nil)
            guard info >= 0 else {
                throw MediaError.corrupt(name, "the video's streams cannot be read", cause: FFmpeg.failure("avformat_find_stream_info", info))
            }
        }
        var facts = VideoFacts(
            formatName: ctx.pointee.iformat.map { String(cString: $0.pointee.name) } ?? "",
            tags: FFmpeg.dictionary(ctx.pointee.metadata)
        )
        if ctx.pointee.duration > 0 {
            facts.durationSeconds = Double(ctx.pointee.duration) / Double(AV_TIME_BASE)
        }
        var hasVideo = false
        var dataEnd: Int64 = 0
        for i in 0..<Int(ctx.pointee.nb_streams) {
            guard let stream = ctx.pointee.streams[i], let par = stream.pointee.codecpar else { continue }
            dataEnd = max(dataEnd, lastIndexedByte(stream))
            switch par.pointee.codec_type {
            case AVMEDIA_TYPE_VIDEO where !hasVideo && stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC == 0:
                hasVideo = true
                facts.videoCodec = String(cString: avcodec_get_name(par.pointee.codec_id))
                facts.width = Int(par.pointee.width)
                facts.height = Int(par.pointee.height)
                facts.rotation = rotation(stream)
                let rate = stream.pointee.avg_frame_rate.den > 0 ? stream.pointee.avg_frame_rate : stream.pointee.r_frame_rate
                if rate.den > 0, rate.num > 0 { facts.frameRate = Double(rate.num) / Double(rate.den) }
                for (key, value) in FFmpeg.dictionary(stream.pointee.metadata) where facts.tags[key] == nil {
                    facts.tags[key] = value
                }
            case AVMEDIA_TYPE_AUDIO where facts.audioCodec == nil:
                facts.audioCodec = String(cString: avcodec_get_name(par.pointee.codec_id))
            default:
                break
            }
        }
        guard hasVideo else {
            throw MediaError(code: .notMedia, message: "\(name) has no video stream (audio-only files are not evidence media).")
        }
        if dataEnd > fileSize {
            throw MediaError.corrupt(name, "the video is truncated (its index points \(dataEnd - fileSize) bytes past the end of the file)")
        }
        return facts
    }

    /// MP4/MOV headers carry every fact we need; other containers (or odd files) need a short decode.
    private static func needsStreamInfo(_ ctx: UnsafeMutablePointer<AVFormatContext>) -> Bool {
        if ctx.pointee.nb_streams == 0 { return true }
        for i in 0..<Int(ctx.pointee.nb_streams) {
            guard let par = ctx.pointee.streams[i]?.pointee.codecpar else { return true }
            if par.pointee.codec_id == AV_CODEC_ID_NONE { return true }
            if par.pointee.codec_type == AVMEDIA_TYPE_VIDEO, par.pointee.width == 0 { return true }
        }
        return ctx.pointee.duration <= 0
    }

    /// The furthest byte any index entry of `stream` needs; a truncated file's index points past its end.
    private static func lastIndexedByte(_ stream: UnsafeMutablePointer<AVStream>) -> Int64 {
        let count = avformat_index_get_entries_count(stream)
        guard count > 0 else { return 0 }
        var furthest: Int64 = 0
        // Interleaved streams may end in any order: look at the last few entries, not just one.
        for i in max(0, count - 4)..<count {
            if let entry = avformat_index_get_entry(stream, i) {
                furthest = max(furthest, entry.pointee.pos + Int64(entry.pointee.size))
            }
        }
        return furthest
    }

    /// Degrees clockwise to display upright, from the display matrix (libav's angle is counter-clockwise).
    static func rotation(_ stream: UnsafeMutablePointer<AVStream>) -> Int {
        var size: Int = 0
        guard let data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size), size >= 36 else { return 0 }
        let angle = data.withMemoryRebound(to: Int32.self, capacity: 9) { av_display_rotation_get($0) }
        guard angle.isFinite else { return 0 }
        let clockwise = Int((-angle / 90).rounded()) * 90
        return ((clockwise % 360) + 360) % 360
    }
}
