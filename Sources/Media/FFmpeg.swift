import Foundation
internal import CFFmpeg

/// Shared libav setup and error text.
enum FFmpeg {
    /// Loads libav (``MediaLibraries``) and silences its log, once: libav logs to stderr by default,
    /// and the product reports errors itself. Every entry point into libav calls this first.
    static func start(for name: String) throws(MediaError) {
        try MediaLibraries.load(.ffmpeg, for: name)
        _ = quiet
    }

    private static let quiet: Void = {
        av_log_set_level(AV_LOG_QUIET)
    }()

    /// libav's own text for an error code.
    static func errorText(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        if av_strerror(code, &buffer, buffer.count) < 0 { return "error \(code)" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The ``MediaError/LibraryFailure`` for a libav call.
    static func failure(_ function: String, _ code: Int32) -> MediaError.LibraryFailure {
        MediaError.LibraryFailure(function: function, returnCode: code, text: errorText(code))
    }

    /// Reads a metadata dictionary into Swift.
    static func dictionary(_ dict: OpaquePointer?) -> [String: String] {
        var result: [String: String] = [:]
        var entry: UnsafeMutablePointer<AVDictionaryEntry>? = nil
        while let next = av_dict_get(dict, "", entry, AV_DICT_IGNORE_SUFFIX) {
            if let key = next.pointee.key, let value = next.pointee.value {
                result[String(cString: key)] = String(cString: value)
            }
            entry = next
        }
        return result
    }
}
