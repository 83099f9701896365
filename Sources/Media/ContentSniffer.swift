import Foundation

/// Decides a file's format from its first bytes, never from its extension.
enum ContentSniffer {
    enum Format: Equatable {
        case jpeg, png, webp, tiff
        case heif(String)
        case video(String)
        case unknown
    }

    static func sniff(_ head: [UInt8]) -> Format {
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.ascii(0, 4) == "RIFF", head.ascii(8, 4) == "WEBP" { return .webp }
        if head.ascii(0, 4) == "RIFF", head.ascii(8, 4) == "AVI " { return .video("video/x-msvideo") }
        if head.starts(with: [0x49, 0x49, 0x2A, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if head.starts(with: [0x1A, 0x45, 0xDF, 0xA3]) {
            let isWebM = head.count >= 40 && String(decoding: head.prefix(40), as: UTF8.self).contains("webm")
            return .video(isWebM ? "video/webm" : "video/x-matroska")
        }
        guard let box = head.ascii(4, 4) else { return .unknown }
        if box == "ftyp", let brand = head.ascii(8, 4) {
            switch brand {
            case "heic", "heix", "heim", "heis", "hevc", "hevx": return .heif("image/heic")
            case "mif1", "msf1": return .heif("image/heif")
            case "avif", "avis": return .heif("image/avif")
            case "qt  ": return .video("video/quicktime")
            case "M4V ", "M4VH", "M4VP": return .video("video/x-m4v")
            case _ where brand.hasPrefix("3g2"): return .video("video/3gpp2")
            case _ where brand.hasPrefix("3gp"): return .video("video/3gpp")
            default: return .video("video/mp4")
            }
        }
        // Old QuickTime files start straight with an atom.
        if ["moov", "mdat", "wide", "free", "skip", "pnot"].contains(box) { return .video("video/quicktime") }
        return .unknown
    }
}
