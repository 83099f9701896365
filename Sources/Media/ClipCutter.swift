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
    /// Video frames re-encoded (for a smart cut, only those before the first keyframe; the rest are copied).
    public var reencodedFrames: Int = 0
    /// Why an exact cut re-encoded the whole range rather than only its head (nil for a smart cut or a copy).
    public var fullReencodeReason: String?
}

/// Cuts clips with libavformat/libavcodec, reading through a ``SourceIO`` (so straight out of the vault).
///
/// Stream copy (default) starts at the keyframe at or before the start and is lossless and fast; with B-frames the
/// video may run a few frames past the end, because packets are kept until decode order passes it.
///
/// `exact` is a **smart cut** for H.264: it decodes from the keyframe before the start, re-encodes only the frames from
/// the start up to the next keyframe (libx264 with the source's profile, level, size, pixel format and time base, no
/// B-frames, its parameter sets sent in-band under id 1 so they never replace the source's id 0), and copies every
/// packet from that keyframe on bit-identical. The head's decode times are set back by the source's reordering delay,
/// so decode order stays monotonic into the copied part. Other codecs (HEVC: x265 cannot renumber its parameter
/// sets) and sources whose parameters cannot be matched are re-encoded whole, and the report says why. Audio is
/// copied. Either way the display matrix (rotation) is copied, never baked into the pixels, and `creation_time` is
/// set on the output.
public enum ClipCutter {
    /// Cuts `request` from `source` into `output` (a file path, or `pipe:N`), muxed as `formatName` or as the
    /// extension of `fileName` (by default `output` itself) says: an unnamed file written through `/proc/self/fd/N`
    /// takes its container from the name it will get.
    public static func cut(
        source: any RandomAccessSource, name: String, request: ClipRequest, output: String, formatName: String? = nil,
        fileName: String? = nil
    ) throws -> ClipReport {
        func attempt(smartAllowed: Bool) throws -> ClipReport {
            let input = try DemuxedInput(source: source, name: name)
            guard let inFormat = input.format, let videoIndex = input.videoStreamIndex else {
                throw MediaError(code: .invalidRequest, message: "\(name) has no video stream to cut.")
            }
            let job = try CutJob(
                input: input, inFormat: inFormat, videoIndex: videoIndex, name: name, request: request, output: output,
                formatName: formatName, fileName: fileName ?? output, smartAllowed: smartAllowed)
            return try job.run()
        }
        do {
            return try attempt(smartAllowed: true)
        } catch is OpenGOP {
            // Frames after the keyframe refer to frames before it: only a whole re-encode is exact. A file is
            // written again from the start; a pipe cannot be.
            guard !output.hasPrefix("pipe:") else {
                throw MediaError(
                    code: .codecFailure,
                    message: "\(name) uses open GOPs, so an exact clip must be re-encoded whole; write it to a file (-o clip.mp4).")
            }
            var report = try attempt(smartAllowed: false)
            report.fullReencodeReason =
                "the video's GOPs are open (frames after a keyframe refer to frames before it), so the whole clip was re-encoded"
            return report
        }
    }
}

/// A smart cut found a frame after its copied keyframe that is shown before it (an open GOP).
private struct OpenGOP: Error {}

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
    /// A smart cut: re-encode only the head, copy from the first keyframe after the start.
    var smart = false
    /// Why an exact cut could not be smart.
    var fullReason: String?
    /// The smart cut's re-encoded head, held until the copied part's first keyframe says how to time it.
    var headPackets: [UnsafeMutablePointer<AVPacket>?] = []
    /// NAL length size of the source's `avcC` (the head is rewritten from Annex B into it).
    var nalLengthSize = 4
    var reencoded = 0

    /// Whether a smart cut may be tried (false on the second attempt after an open GOP).
    let smartAllowed: Bool
    /// The copied part's first keyframe, seconds (a smart cut).
    var keyframeSeconds: Double?

    init(
        input: DemuxedInput, inFormat: UnsafeMutablePointer<AVFormatContext>, videoIndex: Int, name: String,
        request: ClipRequest, output: String, formatName: String?, fileName: String, smartAllowed: Bool
    ) throws {
        self.smartAllowed = smartAllowed
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
        for index in headPackets.indices { av_packet_free(&headPackets[index]) }
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
                fullReason = request.forSharing || !smartAllowed ? nil : smartCutObstacle(s)
                smart = !request.forSharing && smartAllowed && fullReason == nil
                try openCodecs(s, os)
                if smart {
                    // The copied part keeps the source's parameters and extradata; the head fits into them.
                    try check(avcodec_parameters_copy(os.pointee.codecpar, s.pointee.codecpar), "avcodec_parameters_copy", "copying stream parameters")
                    os.pointee.codecpar.pointee.codec_tag = 0
                    os.pointee.time_base = s.pointee.time_base
                }
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
        /// For a smart cut: true once the copied part has begun.
        var copying = false
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
            if index == videoIndex && smart && !copying, packet.pointee.flags & AV_PKT_FLAG_KEY != 0,
                seconds >= startSeconds - 0.0005
            {
                // The first keyframe at or after the start: finish the head, then copy from here on.
                try finishHead(from: startSeconds, to: endSeconds, outIndex: outIndex, lastEnd: &lastEnd, keyframe: packet, tb: tb)
                copying = true
                keyframeSeconds = seconds
                if seconds >= endSeconds {
                    done.insert(index)
                    continue
                }
            }
            if index == videoIndex && request.exact && !copying {
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
            if index == videoIndex, let keyframeSeconds, seconds < keyframeSeconds - 0.0005 { throw OpenGOP() }
            let shift = av_rescale_q(Int64((start * 1_000_000).rounded()), AVRational(num: 1, den: 1_000_000), tb)
            if packet.pointee.pts != nopts { packet.pointee.pts -= shift }
            if packet.pointee.dts != nopts { packet.pointee.dts -= shift }
            if index == videoIndex {
                lastEnd = max(lastEnd, seconds + av_q2d(tb) * Double(packet.pointee.duration))
            }
            try write(packet, from: tb, to: outIndex)
        }
        if request.exact, !copying, let outIndex = streamMap[videoIndex] {
            // The range ended before another keyframe (or the cut is a full re-encode): drain, and write the head.
            if smart {
                try finishHead(from: startSeconds, to: endSeconds, outIndex: outIndex, lastEnd: &lastEnd, keyframe: nil, tb: stream(videoIndex).pointee.time_base)
            } else if let decoder, let encoder {
                try check(avcodec_send_packet(decoder, nil), "avcodec_send_packet", "flushing the decoder")
                try receiveFrames(from: startSeconds, to: endSeconds, outIndex: outIndex, lastEnd: &lastEnd)
                try check(avcodec_send_frame(encoder, nil), "avcodec_send_frame", "flushing the encoder")
                try receivePackets(outIndex: outIndex)
            }
        }
        try check(av_write_trailer(out), "av_write_trailer", "finishing the clip")
        let begin = cutStart ?? startSeconds
        return ClipReport(
            sourceStartSeconds: begin, durationSeconds: max(0, min(lastEnd, endSeconds + 1) - begin), exact: request.exact,
            packets: packets, reencodedFrames: reencoded, fullReencodeReason: request.exact && !request.forSharing ? fullReason : nil)
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
        if smart {
            // The head must continue into the source's own bitstream: its profile and level, no B-frames (so its
            // decode order is its display order), its parameter sets in-band under id 1, leaving id 0 (the
            // source's, in the stream's avcC) to the copied part.
            encoder.pointee.flags &= ~AV_CODEC_FLAG_GLOBAL_HEADER
            encoder.pointee.max_b_frames = 0
            if let profile = Self.x264Profile(par.pointee.profile) { av_opt_set(encoder.pointee.priv_data, "profile", profile, 0) }
            if par.pointee.level > 0 {
                av_opt_set(encoder.pointee.priv_data, "level", String(format: "%.1f", Double(par.pointee.level) / 10), 0)
            }
            av_opt_set(encoder.pointee.priv_data, "x264-params", "sps-id=1:repeat-headers=1", 0)
        }
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
            reencoded += 1
            try receivePackets(outIndex: outIndex)
        }
    }

    // MARK: - Smart cut

    /// Why this video cannot be smart-cut (nil when it can): it must be H.264, 4:2:0 8-bit, with an `avcC` header.
    private func smartCutObstacle(_ s: UnsafeMutablePointer<AVStream>) -> String? {
        let par = s.pointee.codecpar.pointee
        guard par.codec_id == AV_CODEC_ID_H264 else {
            let codec = String(cString: avcodec_get_name(par.codec_id))
            return "only H.264 is cut smartly here, and this video is \(codec), so the whole clip was re-encoded"
        }
        guard par.format == AV_PIX_FMT_YUV420P.rawValue || par.format == AV_PIX_FMT_YUVJ420P.rawValue else {
            return "the video is not 8-bit 4:2:0, which the re-encoded start could not match, so the whole clip was re-encoded"
        }
        guard par.extradata_size > 6, let extradata = par.extradata, extradata[0] == 1 else {
            return "the video carries its parameter sets in-band (no avcC), so the whole clip was re-encoded"
        }
        nalLengthSize = Int(extradata[4] & 3) + 1
        return nil
    }

    /// libx264's name for an H.264 profile (nil: let it choose).
    static func x264Profile(_ profile: Int32) -> String? {
        switch profile {
        case 66, 578: "baseline"
        case 77: "main"
        case 100: "high"
        default: nil
        }
    }

    /// Ends the head: drains the decoder (frames before `keyframe`), then the encoder, and writes the head's packets
    /// in the source's NAL framing with decode times set back by the copied part's reordering delay.
    private func finishHead(
        from: Double, to: Double, outIndex: Int, lastEnd: inout Double, keyframe: UnsafeMutablePointer<AVPacket>?,
        tb: AVRational
    ) throws {
        guard let decoder, let encoder else { return }
        let limit = keyframe.map { min(to, av_q2d(tb) * Double($0.pointee.pts)) } ?? to
        try check(avcodec_send_packet(decoder, nil), "avcodec_send_packet", "flushing the decoder")
        try receiveFrames(from: from, to: limit, outIndex: outIndex, lastEnd: &lastEnd)
        try check(avcodec_send_frame(encoder, nil), "avcodec_send_frame", "flushing the encoder")
        try receivePackets(outIndex: outIndex)
        let nopts = cffmpeg_nopts_value()
        let delay: Int64 =
            keyframe.map { $0.pointee.pts != nopts && $0.pointee.dts != nopts ? $0.pointee.pts - $0.pointee.dts : 0 } ?? 0
        let delayInEncoder = av_rescale_q(delay, tb, encoder.pointee.time_base)
        for index in headPackets.indices {
            guard let packet = headPackets[index] else { continue }
            let bytes = UnsafeBufferPointer(start: packet.pointee.data, count: Int(packet.pointee.size))
            guard let framed = Self.lengthPrefixed(annexB: bytes, lengthSize: nalLengthSize) else {
                throw MediaError(code: .codecFailure, message: "Cutting \(name) failed: the re-encoded start could not be framed.")
            }
            guard let rewritten = av_packet_alloc() else { throw MediaError(code: .codecFailure, message: "Out of memory.") }
            var owned: UnsafeMutablePointer<AVPacket>? = rewritten
            defer { av_packet_free(&owned) }
            try check(av_new_packet(rewritten, Int32(framed.count)), "av_new_packet", "framing the re-encoded start")
            framed.withUnsafeBufferPointer { source in
                if let base = source.baseAddress { rewritten.pointee.data.update(from: base, count: framed.count) }
            }
            try check(av_packet_copy_props(rewritten, packet), "av_packet_copy_props", "framing the re-encoded start")
            if rewritten.pointee.pts != nopts { rewritten.pointee.dts = rewritten.pointee.pts - delayInEncoder }
            try write(rewritten, from: encoder.pointee.time_base, to: outIndex)
        }
        for index in headPackets.indices { av_packet_free(&headPackets[index]) }
        headPackets.removeAll()
    }

    /// Annex B NAL units (start codes) rewritten with big-endian lengths of `lengthSize` bytes, as `avcC` streams
    /// carry them; nil for data with no start code or a unit too long for the length size.
    static func lengthPrefixed(annexB data: UnsafeBufferPointer<UInt8>, lengthSize: Int) -> [UInt8]? {
        var starts: [(code: Int, payload: Int)] = []
        var i = 0
        while i + 2 < data.count {
            if data[i] == 0, data[i + 1] == 0, data[i + 2] == 1 {
                let code = i > 0 && data[i - 1] == 0 ? i - 1 : i
                starts.append((code, i + 3))
                i += 3
            } else {
                i += 1
            }
        }
        guard !starts.isEmpty, (1...4).contains(lengthSize) else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(data.count + starts.count * lengthSize)
        for (index, start) in starts.enumerated() {
            var end = index + 1 < starts.count ? starts[index + 1].code : data.count
            while end > start.payload, data[end - 1] == 0, index + 1 < starts.count { end -= 1 }
            let length = end - start.payload
            guard length > 0 else { continue }
            guard lengthSize == 4 || length < 1 << (8 * lengthSize) else { return nil }
            for shift in stride(from: 8 * (lengthSize - 1), through: 0, by: -8) { output.append(UInt8((length >> shift) & 0xFF)) }
            output.append(contentsOf: data[start.payload..<end])
        }
        return output
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
            // libx264 leaves durations unset: without one the muxer's edit list ends at the last frame's start and
            // players drop that frame.
            if packet.pointee.duration == 0, encoder.pointee.framerate.num > 0 {
                packet.pointee.duration = av_rescale_q(1, av_inv_q(encoder.pointee.framerate), encoder.pointee.time_base)
            }
            if smart {
                headPackets.append(av_packet_clone(packet))
                av_packet_unref(packet)
                continue
            }
            try write(packet, from: encoder.pointee.time_base, to: outIndex)
        }
    }
}
