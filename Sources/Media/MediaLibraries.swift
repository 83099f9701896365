internal import CMediaLoader

/// libav* and libheif are loaded when first needed, not when the program starts (see `CMediaLoader.h`):
/// with them and the hundred codec libraries behind them linked, every command — `--version` included —
/// spent 40 ms in the dynamic loader. Each Media entry point that calls them loads its group first, so a
/// missing or mismatched library is a ``MediaError`` naming it, not a crash.
public enum MediaLibraries {
    /// A group of libraries loaded together.
    public enum Group: Sendable {
        /// libavutil, libswscale, libavcodec, libavformat.
        case ffmpeg
        /// libheif.
        case heif

        fileprivate var c: cmedia_group {
            switch self {
            case .ffmpeg: CMEDIA_GROUP_FFMPEG
            case .heif: CMEDIA_GROUP_HEIF
            }
        }
    }

    /// Loads a group, once per process; later calls cost an atomic read. A failure names `file` when given.
    public static func load(_ group: Group, for file: String? = nil) throws(MediaError) {
        var message = [CChar](repeating: 0, count: 640)
        guard cmedia_load(group.c, &message, message.count) != 0 else { return }
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw MediaError(code: .libraryMissing, message: file.map { "\($0) could not be read: \(text)" } ?? text)
    }
}
