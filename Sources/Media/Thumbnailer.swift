public import Foundation
internal import CFFmpeg

/// Poster frames and thumbnails: decode one frame (libavcodec), scale it (libswscale), turn it upright, and encode
/// a JPEG (libavcodec's MJPEG encoder). Reads through a ``SourceIO``, so straight from the vault.
public enum Thumbnailer {
    /// A JPEG of the frame at `atMs` (videos; photos have one frame), `width` pixels wide once upright.
    ///
    /// `rotation` is degrees clockwise to display upright (the asset's, from Exif orientation or the display
    /// matrix); `mirrored` flips horizontally first.
    public static func jpeg(
        source: any RandomAccessSource, name: String, atMs: Int64, rotation: Int, mirrored: Bool, width: Int
    ) throws -> Data {
        let input = try DemuxedInput(source: source, name: name)
        guard let format = input.format, let index = input.videoStreamIndex, let stream = format.pointee.streams[index] else {
            throw MediaError(code: .invalidRequest, message: "\(name) has no picture to make a thumbnail from.")
        }
        let frame = try decodeFrame(input: input, format: format, stream: stream, index: index, atMs: atMs, name: name)
        var owned: UnsafeMutablePointer<AVFrame>? = frame
        defer { av_frame_free(&owned) }
        let turned = ((rotation % 360) + 360) % 360
        let sourceWidth = Int(frame.pointee.width), sourceHeight = Int(frame.pointee.height)
        let uprightWidth = turned == 90 || turned == 270 ? sourceHeight : sourceWidth
        let uprightHeight = turned == 90 || turned == 270 ? sourceWidth : sourceHeight
        let outWidth = max(16, min(width, 4096)) & ~1
        let outHeight = max(16, Int((Double(uprightHeight) * Double(outWidth) / Double(max(uprightWidth, 1))).rounded())) & ~1
        // Scale in the stored orientation, then rotate the small RGB picture.
        let scaledWidth = turned == 90 || turned == 270 ? outHeight : outWidth
        let scaledHeight = turned == 90 || turned == 270 ? outWidth : outHeight
        var rgb = try scale(frame, toWidth: scaledWidth, height: scaledHeight, name: name)
        if mirrored { rgb = flip(rgb, width: scaledWidth, height: scaledHeight) }
        let (upright, w, h) = rotate(rgb, width: scaledWidth, height: scaledHeight, degrees: turned)
        return try encodeJPEG(rgb: upright, width: w, height: h, name: name)
    }

    private static func decodeFrame(
        input: DemuxedInput, format: UnsafeMutablePointer<AVFormatContext>, stream: UnsafeMutablePointer<AVStream>, index: Int,
        atMs: Int64, name: String
    ) throws -> UnsafeMutablePointer<AVFrame> {
        func check(_ rc: Int32, _ function: String) throws {
            if let failure = input.io.failure { throw failure }
            guard rc >= 0 else {
                throw MediaError(code: .codecFailure, message: "Could not decode a frame of \(name).", cause: FFmpeg.failure(function, rc))
            }
        }
        guard let codec = avcodec_find_decoder(stream.pointee.codecpar.pointee.codec_id) else {
            throw MediaError(code: .codecFailure, message: "No decoder for \(name).")
        }
        var decoder = avcodec_alloc_context3(codec)
        defer { avcodec_free_context(&decoder) }
        guard let decoder else { throw MediaError(code: .codecFailure, message: "Out of memory.") }
        try check(avcodec_parameters_to_context(decoder, stream.pointee.codecpar), "avcodec_parameters_to_context")
        decoder.pointee.pkt_timebase = stream.pointee.time_base
        try check(avcodec_open2(decoder, codec, nil), "avcodec_open2")
        if atMs > 0 { try check(av_seek_frame(format, -1, atMs * 1000, AVSEEK_FLAG_BACKWARD), "av_seek_frame") }
        let target = Double(atMs) / 1000
        let tb = stream.pointee.time_base
        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        guard let packet, let frame = av_frame_alloc() else { throw MediaError(code: .codecFailure, message: "Out of memory.") }
        var working: UnsafeMutablePointer<AVFrame>? = frame
        defer { av_frame_free(&working) }
        // The latest decoded frame; freed here on every path except the one that hands it to the caller.
        var best: UnsafeMutablePointer<AVFrame>? = nil
        var handedOver = false
        defer { if !handedOver { av_frame_free(&best) } }
        var draining = false
        while true {
            if !draining {
                let rc = av_read_frame(format, packet)
                if let failure = input.io.failure { throw failure }
                if rc == cffmpeg_averror_eof() {
                    draining = true
                    try check(avcodec_send_packet(decoder, nil), "avcodec_send_packet")
                } else {
                    try check(rc, "av_read_frame")
                    defer { av_packet_unref(packet) }
                    guard Int(packet.pointee.stream_index) == index else { continue }
                    let rc = avcodec_send_packet(decoder, packet)
                    if rc != cffmpeg_averror(EAGAIN), rc != cffmpeg_averror_eof() { try check(rc, "avcodec_send_packet") }
                }
            }
            while true {
                let rc = avcodec_receive_frame(decoder, frame)
                if rc == cffmpeg_averror(EAGAIN) { break }
                if rc == cffmpeg_averror_eof() {
                    guard let chosen = best else { throw MediaError(code: .corrupt, message: "\(name) has no decodable frame.") }
                    handedOver = true
                    return chosen
                }
                try check(rc, "avcodec_receive_frame")
                let seconds = av_q2d(tb) * Double(frame.pointee.best_effort_timestamp)
                av_frame_free(&best)
                best = av_frame_clone(frame)
                av_frame_unref(frame)
                if let chosen = best, seconds >= target - 0.0005 || chosen.pointee.best_effort_timestamp == cffmpeg_nopts_value() {
                    handedOver = true
                    return chosen
                }
            }
        }
    }

    private static func scale(_ frame: UnsafeMutablePointer<AVFrame>, toWidth width: Int, height: Int, name: String) throws -> [UInt8] {
        guard let sws = sws_getContext(
            frame.pointee.width, frame.pointee.height, AVPixelFormat(rawValue: frame.pointee.format), Int32(width), Int32(height),
            AV_PIX_FMT_RGB24, SWS_BICUBIC, nil, nil, nil)
        else {
            throw MediaError(code: .codecFailure, message: "Cannot scale \(name)'s pixel format.")
        }
        defer { sws_freeContext(sws) }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        let rows = rgb.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var planes: [UnsafeMutablePointer<UInt8>?] = [buffer.baseAddress, nil, nil, nil]
            var strides: [Int32] = [Int32(width * 3), 0, 0, 0]
            return withUnsafePointer(to: &frame.pointee.data) { dataTuple in
                withUnsafePointer(to: &frame.pointee.linesize) { linesizeTuple in
                    dataTuple.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { data in
                        linesizeTuple.withMemoryRebound(to: Int32.self, capacity: 8) { linesize in
                            sws_scale(sws, data, linesize, 0, frame.pointee.height, &planes, &strides)
                        }
                    }
                }
            }
        }
        guard rows > 0 else { throw MediaError(code: .codecFailure, message: "Scaling \(name) failed.") }
        return rgb
    }

    private static func flip(_ rgb: [UInt8], width: Int, height: Int) -> [UInt8] {
        var out = rgb
        for y in 0..<height {
            for x in 0..<width {
                let from = (y * width + x) * 3, to = (y * width + (width - 1 - x)) * 3
                out[to] = rgb[from]; out[to + 1] = rgb[from + 1]; out[to + 2] = rgb[from + 2]
            }
        }
        return out
    }

    /// Rotates an RGB24 picture clockwise by 0, 90, 180 or 270 degrees.
    static func rotate(_ rgb: [UInt8], width: Int, height: Int, degrees: Int) -> ([UInt8], Int, Int) {
        guard degrees != 0 else { return (rgb, width, height) }
        let (w, h) = degrees == 180 ? (width, height) : (height, width)
        var out = [UInt8](repeating: 0, count: rgb.count)
        for y in 0..<height {
            for x in 0..<width {
                let (nx, ny): (Int, Int)
                switch degrees {
                case 90: (nx, ny) = (height - 1 - y, x)
                case 180: (nx, ny) = (width - 1 - x, height - 1 - y)
                default: (nx, ny) = (y, width - 1 - x)
                }
                let from = (y * width + x) * 3, to = (ny * w + nx) * 3
                out[to] = rgb[from]; out[to + 1] = rgb[from + 1]; out[to + 2] = rgb[from + 2]
            }
        }
        return (out, w, h)
    }

    private static func encodeJPEG(rgb: [UInt8], width: Int, height: Int, name: String) throws -> Data {
        func check(_ rc: Int32, _ function: String) throws {
            guard rc >= 0 else {
                throw MediaError(code: .codecFailure, message: "Could not encode the thumbnail of \(name).", cause: FFmpeg.failure(function, rc))
            }
        }
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG) else {
            throw MediaError(code: .codecFailure, message: "This libavcodec has no JPEG encoder.")
        }
        var encoder = avcodec_alloc_context3(codec)
        defer { avcodec_free_context(&encoder) }
        var frame = av_frame_alloc()
        defer { av_frame_free(&frame) }
        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        guard let encoder, let frame, let packet else { throw MediaError(code: .codecFailure, message: "Out of memory.") }
        encoder.pointee.width = Int32(width)
        encoder.pointee.height = Int32(height)
        encoder.pointee.pix_fmt = AV_PIX_FMT_YUVJ420P
        encoder.pointee.time_base = AVRational(num: 1, den: 25)
        encoder.pointee.flags |= AV_CODEC_FLAG_QSCALE
        encoder.pointee.global_quality = 3 * 118  // FF_QP2LAMBDA × q3: a good-quality JPEG
        try check(avcodec_open2(encoder, codec, nil), "avcodec_open2")
        frame.pointee.width = Int32(width)
        frame.pointee.height = Int32(height)
        frame.pointee.format = AV_PIX_FMT_YUVJ420P.rawValue
        frame.pointee.quality = encoder.pointee.global_quality
        try check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer")
        guard let sws = sws_getContext(
            Int32(width), Int32(height), AV_PIX_FMT_RGB24, Int32(width), Int32(height), AV_PIX_FMT_YUVJ420P, SWS_BICUBIC, nil, nil, nil)
        else { throw MediaError(code: .codecFailure, message: "Cannot convert the thumbnail's colours.") }
        defer { sws_freeContext(sws) }
        rgb.withUnsafeBufferPointer { buffer in
            var planes: [UnsafePointer<UInt8>?] = [buffer.baseAddress, nil, nil, nil]
            var strides: [Int32] = [Int32(width * 3), 0, 0, 0]
            withUnsafeMutablePointer(to: &frame.pointee.data) { dataTuple in
                withUnsafeMutablePointer(to: &frame.pointee.linesize) { linesizeTuple in
                    dataTuple.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { data in
                        linesizeTuple.withMemoryRebound(to: Int32.self, capacity: 8) { linesize in
                            _ = sws_scale(sws, &planes, &strides, 0, Int32(height), data, linesize)
                        }
                    }
                }
            }
        }
        try check(avcodec_send_frame(encoder, frame), "avcodec_send_frame")
        try check(avcodec_send_frame(encoder, nil), "avcodec_send_frame")
        try check(avcodec_receive_packet(encoder, packet), "avcodec_receive_packet")
        defer { av_packet_unref(packet) }
        return Data(bytes: packet.pointee.data, count: Int(packet.pointee.size))
    }
}
