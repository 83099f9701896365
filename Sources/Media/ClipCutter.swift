public import Foundation
internal import CFFmpeg

/// A range to cut out of a video.
public struct ClipRequest: Sendable {
    /// Start, ms into the video.
    public var startMs: Int64
    /// End, ms into the video.
    public var endMs: Int64
    /// Re-encode so the clip starts on the requested frame (otherwise: stream copy from the keyframe at or before).
    public var exact = false
    /// The clip's `creation_time` (the original capture time plus the start), if known.
    public var creationTime: Date?
    /// For a file that leaves the school: no source metadata at all (no stream tags, no creation time; the display
    /// matrix is kept so it plays upright), the video re-encoded as H.264 4:2:0 no larger than 720p at a capped rate
    /// (what every phone plays, whatever the camera wrote), only AAC or MP3 audio kept, and for MP4 the index first
    /// (`+faststart`) so a browser plays it at once.
    public var forSharing = false

    /// Makes a request.
    public init(startMs: Int64, endMs: Int64, exact: Bool = false, creationTime: Date? = nil, forSharing: Bool = false) {
        self.startMs = startMs
        self.endMs = endMs
        self.exact = exact || forSharing
        self.creationTime = creationTime
        self.forSharing = forSharing
    }
}

/// What a cut produced.
public struct ClipReport: Sendable, Codable {
    /// Where the clip really starts in the source (the keyframe, for a stream copy), seconds.
    public var sourceStartSeconds: Double
    /// The clip's length, seconds.
    public var durationSeconds: Double
    /// Whether it was re-encoded.
    public var exact: Bool
    /// Packets written.
    public var packets: Int
}

/// Cuts clips with libavformat/libavcodec, reading through a ``SourceIO`` (so straight out of the vault).
///
/// Stream copy (default) starts at the keyframe at or before the start and is lossless and fast; with B-frames the
/// video may run a few frames past the end, because packets are kept until decode order passes it. `exact`
/// re-encodes the video of the range (audio is still copied) so the first frame is the one asked for. Either way the
/// display matrix (rotation) is copied, never baked into the pixels, and `creation_time` is set on the output.
public enum ClipCutter {
    /// Cuts `request` from `source` into `output` (a file path, or `pipe:N`), muxed as `formatName` or as the
    /// extension of `fileName` (by default `output` itself) says: an unnamed file written through `/proc/self/fd/N`
    /// takes its container from the name it will get.
    public static func cut(
        source: any RandomAccessSource, name: String, request: ClipRequest, output: String, formatName: String? = nil,
        fileName: String? = nil
    ) throws -> ClipReport {
        let input = try DemuxedInput(source: source, name: name)
        guard let inFormat = input.format, let videoIndex = input.videoStreamIndex else {
            throw MediaError(code: .invalidRequest, message: "\(name) has no video stream to cut.")
        }
        let job = try CutJob(
            input: input, inFormat: inFormat, videoIndex: videoIndex, name: name, request: request, output: output,
            formatName: formatName, fileName: fileName ?? output)
        return try job.run()
    }
}

/// One cut in progress: owns the output context and the codecs of an exact cut.
private final class CutJob {
    let input: DemuxedInput
    let inFormat: UnsafeMutablePointer<AVFormatContext>
    let videoIndex: Int
    let name: String
    let request: ClipRequest
    let output: String
    var out: UnsafeMutablePointer<AVFormatContext>?
    var streamMap: [Int: Int] = [:]
    var decoder: UnsafeMutablePointer<AVCodecContext>?
    var encoder: UnsafeMutablePointer<AVCodecContext>?
    /// For sharing: converts decoded frames to the encoder's size and 4:2:0 (nil when they already match).
    var scaler: OpaquePointer?
    var scaled: UnsafeMutablePointer<AVFrame>?
    var packets = 0

    init(
        input: DemuxedInput, inFormat: UnsafeMutablePointer<AVFormatContext>, videoIndex: Int, name: String,
        request: ClipRequest, output: String, formatName: String?, fileName: String
    ) throws {
        self.input = input
        self.inFormat = inFormat
        self.videoIndex = videoIndex
        self.name = name
        self.request = request
        self.output = output
        let rc = avformat_alloc_output_context2(&out, nil, formatName, fileName)
        guard rc >= 0, out != nil else {
            throw MediaError(
                code: .invalidRequest, message: "Cannot write a clip as \(fileName): give it a name ending .mp4, .mov or .mkv.",
                cause: FFmpeg.failure("avformat_alloc_output_context2", rc))
        }
    }

    deinit {
        avcodec_free_context(&decoder)
        avcodec_free_context(&encoder)
        if let scaler { sws_freeContext(scaler) }
        av_frame_free(&scaled)
        if let out {
            if let oformat = out.pointee.oformat, oformat.pointee.flags & AVFMT_NOFILE == 0, out.pointee.pb != nil {
                avio_closep(&out.pointee.pb)
            }
            avformat_free_context(out)
        }
    }

    private func check(_ rc: Int32, _ function: String, _ what: String) throws {
        if let failure = input.io.failure { throw failure }
        guard rc >= 0 else {
            throw MediaError(code: .codecFailure, message: "Cutting \(name) failed while \(what).", cause: FFmpeg.failure(function, rc))
        }
    }

    private func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> { inFormat.pointee.streams[index]! }

    func run() throws -> ClipReport {
        guard let out else { throw MediaError(code: .codecFailure, message: "No output for \(name).") }
        for i in 0..<Int(inFormat.pointee.nb_streams) {
            let s = stream(i)
            let type = s.pointee.codecpar.pointee.codec_type
            guard i == videoIndex || type == AVMEDIA_TYPE_AUDIO else { continue }
            // A shared clip keeps only audio every browser plays in MP4.
            if request.forSharing, i != videoIndex,
                ![AV_CODEC_ID_AAC, AV_CODEC_ID_MP3].contains(s.pointee.codecpar.pointee.codec_id)
            {
                continue
            }
            guard let os = avformat_new_stream(out, nil) else { throw MediaError(code: .codecFailure, message: "Out of memory.") }
            streamMap[i] = Int(os.pointee.index)
            if i == videoIndex && request.exact {
                try openCodecs(s, os)
            } else {
                try check(avcodec_parameters_copy(os.pointee.codecpar, s.pointee.codecpar), "avcodec_parameters_copy", "copying stream parameters")
                os.pointee.codecpar.pointee.codec_tag = 0
                os.pointee.time_base = s.pointee.time_base
            }
            // Side data carries the display matrix: copy it, so the clip shows upright exactly as the source does.
            for j in 0..<Int(s.pointee.nb_side_data) {
                let side = s.pointee.side_data[j]
                guard let target = av_stream_new_side_data(os, side.type, side.size) else { continue }
                target.update(from: side.data, count: Int(side.size))
            }
            if !request.forSharing { av_dict_copy(&os.pointee.metadata, s.pointee.metadata, 0) }
        }
        if let created = request.creationTime, !request.forSharing {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            formatter.timeZone = TimeZone(identifier: "UTC")
            av_dict_set(&out.pointee.metadata, "creation_time", formatter.string(from: created), 0)
        }
        if let oformat = out.pointee.oformat, oformat.pointee.flags & AVFMT_NOFILE == 0 {
            try check(avio_open(&out.pointee.pb, output, AVIO_FLAG_WRITE), "avio_open", "opening the output")
        }
        var muxerOptions: OpaquePointer?
        defer { av_dict_free(&muxerOptions) }
        if request.forSharing {
            av_dict_set(&muxerOptions, "movflags", "+faststart", 0)
            // No "encoder" tag naming the library that wrote it.
            out.pointee.flags |= AVFMT_FLAG_BITEXACT
        }
        try check(avformat_write_header(out, &muxerOptions), "avformat_write_header", "writing the clip's header")

        let startSeconds = Double(request.startMs) / 1000, endSeconds = Double(request.endMs) / 1000
        try check(
            av_seek_frame(inFormat, -1, request.startMs * 1000, AVSEEK_FLAG_BACKWARD), "av_seek_frame", "seeking to the start")
        guard let packet = av_packet_alloc() else { throw MediaError(code: .codecFailure, message: "Out of memory.") }
        var pkt: UnsafeMutablePointer<AVPacket>? = packet
        defer { av_packet_free(&pkt) }
        var cutStart: Double? = request.exact ? startSeconds : nil
        var done = Set<Int>()
        var lastEnd = startSeconds
        while done.count < streamMap.count {
            let rc = av_read_frame(inFormat, packet)
            if let failure = input.io.failure { throw failure }
            if rc == cffmpeg_averror_eof() { break }
            try check(rc, "av_read_frame", "reading the video")
            defer { av_packet_unref(packet) }
            let index = Int(packet.pointee.stream_index)
            guard let outIndex = streamMap[index], !done.contains(index) else { continue }
            let tb = stream(index).pointee.time_base
            let nopts = cffmpeg_nopts_value()
            let pts = packet.pointee.pts != nopts ? packet.pointee.pts : packet.pointee.dts
            guard pts != nopts else { continue }
            let seconds = av_q2d(tb) * Double(pts)
            let dtsSeconds = packet.pointee.dts != nopts ? av_q2d(tb) * Double(packet.pointee.dts) : seconds
            if index == videoIndex && request.exact {
                try decodeAndEncode(packet, from: startSeconds, to: endSeconds, outIndex: outIndex, lastEnd: &lastEnd)
                if dtsSeconds >= endSeconds + 2 { done.insert(index) }
                continue
            }
            if cutStart == nil {
                // A copy starts at the first video keyframe after the seek; audio before it waits.
                guard index == videoIndex, packet.pointee.flags & AV_PKT_FLAG_KEY != 0 else { continue }
                cutStart = seconds
            }
            guard let start = cutStart else { continue }
            if index == videoIndex ? dtsSeconds >= endSeconds : seconds >= endSeconds {
                done.insert(index)
                continue
            }
            if seconds < start - 0.0005 { continue }
            let shift = av_rescale_q(Int64((start * 1_000_000).rounded()), AVRational(num: 1, den: 1_000_000), tb)
            if packet.pointee.pts != nopts { packet.pointee.pts -= shift }
            if packet.pointee.dts != nopts { packet.pointee.dts -= shift }
            if index == videoIndex {
                lastEnd = max(lastEnd, seconds + av_q2d(tb) * Double(packet.pointee.duration))
            }
            try write(packet, from: tb, to: outIndex)
        }
        if request.exact, let decoder, let encoder {
            // Drain the decoder, then the encoder.
            try check(avcodec_send_packet(decoder, nil), "avcodec_send_packet", "flushing the decoder")
            try receiveFrames(from: startSeconds, to: endSeconds, outIndex: streamMap[videoIndex]!, lastEnd: &lastEnd)
            try check(avcodec_send_frame(encoder, nil), "avcodec_send_frame", "flushing the encoder")
            try receivePackets(outIndex: streamMap[videoIndex]!)
        }
        try check(av_write_trailer(out), "av_write_trailer", "finishing the clip")
        let begin = cutStart ?? startSeconds
        return ClipReport(
            sourceStartSeconds: begin, durationSeconds: max(0, min(lastEnd, endSeconds + 1) - begin), exact: request.exact,
            packets: packets)
    }

    private func write(_ packet: UnsafeMutablePointer<AVPacket>, from tb: AVRational, to outIndex: Int) throws {
        guard let out else { return }
        let os = out.pointee.streams[outIndex]!
        av_packet_rescale_ts(packet, tb, os.pointee.time_base)
        packet.pointee.stream_index = Int32(outIndex)
        packet.pointee.pos = -1
        try check(av_interleaved_write_frame(out, packet), "av_interleaved_write_frame", "writing the clip")
        packets += 1
    }

    // MARK: - Exact cut: decode from the keyframe, re-encode the range.

    private func openCodecs(_ s: UnsafeMutablePointer<AVStream>, _ os: UnsafeMutablePointer<AVStream>) throws {
        let par = s.pointee.codecpar!
        guard let decoderCodec = avcodec_find_decoder(par.pointee.codec_id) else {
            throw MediaError(code: .codecFailure, message: "No decoder for \(name)'s video codec.")
        }
        decoder = avcodec_alloc_context3(decoderCodec)
        guard let decoder else { throw MediaError(code: .codecFailure, message: "Out of memory.") }
        try check(avcodec_parameters_to_context(decoder, par), "avcodec_parameters_to_context", "preparing the decoder")
        decoder.pointee.pkt_timebase = s.pointee.time_base
        try check(avcodec_open2(decoder, decoderCodec, nil), "avcodec_open2", "opening the decoder")
        // H.264 out (libx264): every player and ELAN reads it.
        guard let encoderCodec = avcodec_find_encoder_by_name("libx264") ?? avcodec_find_encoder(AV_CODEC_ID_H264) else {
            throw MediaError(code: .codecFailure, message: "No H.264 encoder in this libavcodec; cut without --exact.")
        }
        encoder = avcodec_alloc_context3(encoderCodec)
        guard let encoder else { throw MediaError(code: .codecFailure, message: "Out of memory.") }
        var width = par.pointee.width, height = par.pointee.height
        if request.forSharing, min(width, height) > 720 {
            // The shorter side to 720, both even (4:2:0).
            let factor = 720.0 / Double(min(width, height))
            width = Int32((Double(width) * factor / 2).rounded()) * 2
            height = Int32((Double(height) * factor / 2).rounded()) * 2
        }
        encoder.pointee.width = width
        encoder.pointee.height = height
        encoder.pointee.sample_aspect_ratio = par.pointee.sample_aspect_ratio
        encoder.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        let rate = s.pointee.avg_frame_rate.num > 0 ? s.pointee.avg_frame_rate : AVRational(num: 25, den: 1)
        encoder.pointee.framerate = rate
        encoder.pointee.time_base = s.pointee.time_base
        if let oformat = out?.pointee.oformat, oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 {
            encoder.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER
        }
        av_opt_set(encoder.pointee.priv_data, "crf", request.forSharing ? "23" : "18", 0)
        av_opt_set(encoder.pointee.priv_data, "preset", "veryfast", 0)
        if request.forSharing {
            // Size-capped for phones: at most 2.5 Mbit/s, and a profile every browser decodes.
            encoder.pointee.rc_max_rate = 2_500_000
            encoder.pointee.rc_buffer_size = 5_000_000
            av_opt_set(encoder.pointee.priv_data, "profile", "high", 0)
        }
        try check(avcodec_open2(encoder, encoderCodec, nil), "avcodec_open2", "opening the H.264 encoder")
        try check(avcodec_parameters_from_context(os.pointee.codecpar, encoder), "avcodec_parameters_from_context", "describing the clip")
        os.pointee.time_base = encoder.pointee.time_base
        let planar420 = decoder.pointee.pix_fmt == AV_PIX_FMT_YUV420P || decoder.pointee.pix_fmt == AV_PIX_FMT_YUVJ420P
        if request.forSharing, !planar420 || width != par.pointee.width || height != par.pointee.height {
            guard let context = sws_getContext(
                par.pointee.width, par.pointee.height, decoder.pointee.pix_fmt, width, height, AV_PIX_FMT_YUV420P, SWS_BICUBIC,
                nil, nil, nil),
                let frame = av_frame_alloc()
            else {
                throw MediaError(code: .codecFailure, message: "Cannot convert \(name)'s video for sharing.")
            }
            scaler = context
            scaled = frame
            frame.pointee.width = width
            frame.pointee.height = height
            frame.pointee.format = AV_PIX_FMT_YUV420P.rawValue
            try check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer", "preparing the scaled frames")
        } else if !planar420 {
            throw MediaError(code: .codecFailure, message: "\(name) is not 4:2:0 video; cut it without --exact.")
        }
    }

    private func decodeAndEncode(
        _ packet: UnsafeMutablePointer<AVPacket>, from: Double, to: Double, outIndex: Int, lastEnd: inout Double
    ) throws {
        guard let decoder else { return }
        let rc = avcodec_send_packet(decoder, packet)
        if rc != cffmpeg_averror(EAGAIN) { try check(rc, "avcodec_send_packet", "decoding the video") }
        try receiveFrames(from: from, to: to, outIndex: outIndex, lastEnd: &lastEnd)
    }

    private func receiveFrames(from: Double, to: Double, outIndex: Int, lastEnd: inout Double) throws {
        guard let decoder, let encoder else { return }
        guard let frame = av_frame_alloc() else { throw MediaError(code: .codecFailure, message: "Out of memory.") }
        var owned: UnsafeMutablePointer<AVFrame>? = frame
        defer { av_frame_free(&owned) }
        let tb = stream(videoIndex).pointee.time_base
        while true {
            let rc = avcodec_receive_frame(decoder, frame)
            if rc == cffmpeg_averror(EAGAIN) || rc == cffmpeg_averror_eof() { return }
            try check(rc, "avcodec_receive_frame", "decoding the video")
            defer { av_frame_unref(frame) }
            let pts = frame.pointee.best_effort_timestamp
            let seconds = av_q2d(tb) * Double(pts)
            guard seconds >= from - 0.0005, seconds < to else { continue }
            frame.pointee.pts = pts - av_rescale_q(Int64((from * 1_000_000).rounded()), AVRational(num: 1, den: 1_000_000), tb)
            frame.pointee.pict_type = AV_PICTURE_TYPE_NONE
            lastEnd = max(lastEnd, seconds + av_q2d(tb) * Double(frame.pointee.pkt_duration))
            var toEncode = frame
            if let scaler, let scaled {
                try check(av_frame_make_writable(scaled), "av_frame_make_writable", "scaling the video")
                _ = withUnsafePointer(to: &frame.pointee.data) { source in
                    withUnsafePointer(to: &frame.pointee.linesize) { sourceStrides in
                        withUnsafeMutablePointer(to: &scaled.pointee.data) { target in
                            withUnsafeMutablePointer(to: &scaled.pointee.linesize) { targetStrides in
                                source.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { sourceData in
                                    sourceStrides.withMemoryRebound(to: Int32.self, capacity: 8) { sourceLines in
                                        target.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { targetData in
                                            targetStrides.withMemoryRebound(to: Int32.self, capacity: 8) { targetLines in
                                                sws_scale(scaler, sourceData, sourceLines, 0, frame.pointee.height, targetData, targetLines)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                scaled.pointee.pts = frame.pointee.pts
                scaled.pointee.pict_type = AV_PICTURE_TYPE_NONE
                toEncode = scaled
            }
            try check(avcodec_send_frame(encoder, toEncode), "avcodec_send_frame", "encoding the clip")
            try receivePackets(outIndex: outIndex)
        }
    }

    private func receivePackets(outIndex: Int) throws {
        guard let encoder else { return }
        guard let packet = av_packet_alloc() else { throw MediaError(code: .codecFailure, message: "Out of memory.") }
        var owned: UnsafeMutablePointer<AVPacket>? = packet
        defer { av_packet_free(&owned) }
        while true {
            let rc = avcodec_receive_packet(encoder, packet)
            if rc == cffmpeg_averror(EAGAIN) || rc == cffmpeg_averror_eof() { return }
            try check(rc, "avcodec_receive_packet", "encoding the clip")
            try write(packet, from: encoder.pointee.time_base, to: outIndex)
        }
    }
}
