import Foundation
internal import CHeif

/// HEIC/HEIF/AVIF through libheif: the primary image's size and its Exif item.
enum HEIFReader {
    static func read(path: String, name: String) throws(MediaError) -> PhotoStructure {
        try MediaLibraries.load(.heif, for: name)
        guard let context = heif_context_alloc() else {
            throw MediaError(code: .codecFailure, message: "The HEIF library could not start.")
        }
        defer { heif_context_free(context) }
        try check(heif_context_read_from_file(context, path, nil), "heif_context_read_from_file", name)
        var handle: OpaquePointer?
        try check(heif_context_get_primary_image_handle(context, &handle), "heif_context_get_primary_image_handle", name)
        guard let handle else { throw MediaError.corrupt(name, "the HEIF file has no primary image") }
        defer { heif_image_handle_release(handle) }
        var result = PhotoStructure(
            width: Int(heif_image_handle_get_ispe_width(handle)),
            height: Int(heif_image_handle_get_ispe_height(handle)),
            exifBlock: nil
        )
        let count = heif_image_handle_get_number_of_metadata_blocks(handle, "Exif")
        if count > 0 {
            var ids = [heif_item_id](repeating: 0, count: Int(count))
            _ = heif_image_handle_get_list_of_metadata_block_IDs(handle, "Exif", &ids, count)
            let size = heif_image_handle_get_metadata_size(handle, ids[0])
            if size > 4, size < 1 << 20 {
                var block = [UInt8](repeating: 0, count: size)
                try check(heif_image_handle_get_metadata(handle, ids[0], &block), "heif_image_handle_get_metadata", name)
                // The Exif item starts with a 4-byte big-endian offset to the TIFF header.
                if let skip = block.be32(0), 4 + skip < block.count {
                    result.exifBlock = Array(block[(4 + skip)...])
                }
            }
        }
        return result
    }

    private static func check(_ error: heif_error, _ function: String, _ name: String) throws(MediaError) {
        guard error.code != heif_error_Ok else { return }
        let text = error.message.map { String(cString: $0) } ?? "unknown"
        throw MediaError.corrupt(
            name,
            "the HEIF file is damaged or truncated",
            cause: MediaError.LibraryFailure(function: function, returnCode: Int32(error.code.rawValue), text: text)
        )
    }
}
