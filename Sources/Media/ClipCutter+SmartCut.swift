import Foundation
internal import CFFmpeg

/// The smart cut's head (see ``ClipCutter``): whether a video can have one, and how it is written so that the copied
/// part continues it.
extension CutJob {
    /// Why this video cannot be smart-cut (nil when it can): it must be H.264, 4:2:0 8-bit, with an `avcC` header.
    func smartCutObstacle(_ s: UnsafeMutablePointer<AVStream>) -> String? {
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
    func finishHead(
        from: Double, to: Double, outIndex: Int, lastEnd: inout Double, keyframe: UnsafeMutablePointer<AVPacket>?,
        tb: AVRational
    ) throws {
        guard let encoder else { return }
        let limit = keyframe.map { min(to, av_q2d(tb) * Double($0.pointee.pts)) } ?? to
        try drain(from: from, to: limit, outIndex: outIndex, lastEnd: &lastEnd)
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
}
