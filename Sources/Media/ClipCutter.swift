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
struct OpenGOP: Error {}

/// One cut in progress: owns the output context and the codecs of an exact cut. The re-encoding is in
/// `ClipCutter+Reencode.swift`, the smart cut's head in `ClipCutter+SmartCut.swift`.
final class CutJob {
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

    func check(_ rc: Int32, _ function: String, _ what: String) throws {
        if let failure = input.io.failure { throw failure }
        guard rc >= 0 else {
            throw MediaError(code: .codecFailure, message: "Cutting \(name) failed while \(what).", cause: FFmpeg.failure(function, rc))
        }
    }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> { inFormat.pointee.streams[index]! }

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
                    try copyParameters(of: s, to: os)
                }
            } else {
                try copyParameters(of: s, to: os)
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
            // A smart cut copies from its first keyframe at or after the start (`keyframeSeconds`, once found).
            if index == videoIndex && smart && keyframeSeconds == nil, packet.pointee.flags & AV_PKT_FLAG_KEY != 0,
                seconds >= startSeconds - 0.0005
            {
                // The first keyframe at or after the start: finish the head, then copy from here on.
                try finishHead(from: startSeconds, to: endSeconds, outIndex: outIndex, lastEnd: &lastEnd, keyframe: packet, tb: tb)
                keyframeSeconds = seconds
                if seconds >= endSeconds {
                    done.insert(index)
                    continue
                }
            }
            if index == videoIndex && request.exact && keyframeSeconds == nil {
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
        if request.exact, keyframeSeconds == nil, let outIndex = streamMap[videoIndex] {
            // The range ended before another keyframe (or the cut is a full re-encode): drain, and write the head.
            if smart {
                try finishHead(
                    from: startSeconds, to: endSeconds, outIndex: outIndex, lastEnd: &lastEnd, keyframe: nil,
                    tb: stream(videoIndex).pointee.time_base)
            } else {
                try drain(from: startSeconds, to: endSeconds, outIndex: outIndex, lastEnd: &lastEnd)
            }
        }
        try check(av_write_trailer(out), "av_write_trailer", "finishing the clip")
        let begin = cutStart ?? startSeconds
        return ClipReport(
            sourceStartSeconds: begin, durationSeconds: max(0, min(lastEnd, endSeconds + 1) - begin), exact: request.exact,
            packets: packets, reencodedFrames: reencoded, fullReencodeReason: request.exact && !request.forSharing ? fullReason : nil)
    }

    func write(_ packet: UnsafeMutablePointer<AVPacket>, from tb: AVRational, to outIndex: Int) throws {
        guard let out else { return }
        let os = out.pointee.streams[outIndex]!
        av_packet_rescale_ts(packet, tb, os.pointee.time_base)
        packet.pointee.stream_index = Int32(outIndex)
        packet.pointee.pos = -1
        try check(av_interleaved_write_frame(out, packet), "av_interleaved_write_frame", "writing the clip")
        packets += 1
    }

    /// Copies a stream's parameters for a stream copy (the container chooses its own tag).
    func copyParameters(of s: UnsafeMutablePointer<AVStream>, to os: UnsafeMutablePointer<AVStream>) throws {
        try check(avcodec_parameters_copy(os.pointee.codecpar, s.pointee.codecpar), "avcodec_parameters_copy", "copying stream parameters")
        os.pointee.codecpar.pointee.codec_tag = 0
        os.pointee.time_base = s.pointee.time_base
    }
}
