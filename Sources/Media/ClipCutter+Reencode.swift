import Foundation
internal import CFFmpeg

/// An exact cut's re-encoding: decode from the keyframe before the start, encode the frames of the range (all of
/// them, or for a smart cut only the head).
extension CutJob {
    func openCodecs(_ s: UnsafeMutablePointer<AVStream>, _ os: UnsafeMutablePointer<AVStream>) throws {
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

    func decodeAndEncode(
        _ packet: UnsafeMutablePointer<AVPacket>, from: Double, to: Double, outIndex: Int, lastEnd: inout Double
    ) throws {
        guard let decoder else { return }
        let rc = avcodec_send_packet(decoder, packet)
        if rc != cffmpeg_averror(EAGAIN) { try check(rc, "avcodec_send_packet", "decoding the video") }
        try receiveFrames(from: from, to: to, outIndex: outIndex, lastEnd: &lastEnd)
    }

    func receiveFrames(from: Double, to: Double, outIndex: Int, lastEnd: inout Double) throws {
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

    func receivePackets(outIndex: Int) throws {
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

    /// Drains the decoder (frames before `to`), then the encoder, writing or (for a smart cut) holding the packets.
    func drain(from: Double, to: Double, outIndex: Int, lastEnd: inout Double) throws {
        guard let decoder, let encoder else { return }
        try check(avcodec_send_packet(decoder, nil), "avcodec_send_packet", "flushing the decoder")
        try receiveFrames(from: from, to: to, outIndex: outIndex, lastEnd: &lastEnd)
        try check(avcodec_send_frame(encoder, nil), "avcodec_send_frame", "flushing the encoder")
        try receivePackets(outIndex: outIndex)
    }
}
