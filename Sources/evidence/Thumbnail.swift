import ArgumentParser
import Catalogue
import EvidenceKit
import Foundation

/// `evidence thumbnail MOMENT|ASSET -o OUT.jpg`.
struct Thumbnail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thumbnail",
        abstract: "Write an upright JPEG thumbnail of a photo, or of a video's frame at a moment's start.")
    @OptionGroup var options: LibraryOptions
    @Argument(help: "A moment id (m12) or an asset id.") var target: String
    @Option(help: "Time in the video (default: the moment's start, or 0).") var at: String?
    @Option(help: "Width in pixels once upright.") var width = 320
    @Option(name: .shortAndLong, help: "The JPEG to write.") var output: String
    @Flag(help: "Print what was written as JSON.") var json = false
    @OptionGroup var override: OverrideOptions

    /// What `thumbnail --json` prints.
    struct Written: Encodable {
        var output: String
        var asset: AssetID
        var atMs: Int64
        var width: Int
        var byteSize: Int
    }

    func run() async throws {
        try await reportingErrors {
            let session = try options.session()
            let time = try at.map { try TimeCode.milliseconds($0, field: Field("at")) }
            let (asset, atMs) = try ThumbnailMaker(session).posterTarget(target, at: time)
            let (jpeg, clearance) = try ThumbnailMaker(session).thumbnail(
                of: asset, atMs: atMs, width: width, reason: override.reason)
            OverrideOptions.warn(clearance.warnings)
            Terminal.error("warning: writing a decrypted picture to \(output); this is audited. Delete it when you are done.")
            do {
                try jpeg.write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw EvidenceError(.failure, "Could not write \(output): \(error.localizedDescription)")
            }
            if json {
                return try Terminal.printJSON(
                    Written(output: output, asset: asset.id, atMs: atMs, width: width, byteSize: jpeg.count))
            }
            Terminal.print("Wrote \(output) (\(Terminal.bytes(Int64(jpeg.count)))).")
        }
    }
}
