import ArgumentParser
import Catalogue
import EvidenceKit
import Foundation

/// `evidence show ID`: everything known about one asset.
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one asset's metadata (id or its first characters).")

    @OptionGroup var options: LibraryOptions

    @Argument(help: "The asset id, or enough of its start to be unambiguous.")
    var id: String

    @Flag(help: "Print JSON on stdout.")
    var json = false

    func run() async throws {
        try await reportingErrors {
            let session = try options.session()
            let library = session.library
            let view = try AssetBrowser(session).view(of: library.resolveAsset(id), includeRaw: true)
            if json {
                try Terminal.printJSON(view)
                return
            }
            let device = [view.make, view.model].compactMap { $0 }.joined(separator: " ")
            let size = "\(view.width.map(String.init) ?? "?")×\(view.height.map(String.init) ?? "?")"
            let rotation = view.mirrored ? "\(view.rotation)° mirrored" : "\(view.rotation)°"
            var location: String? = nil
            if let lat = view.latitude, let lon = view.longitude { location = String(format: "%.6f, %.6f", lat, lon) }
            let duration: String? = view.durationSeconds.map { String(format: "%.3f s", $0) }
            let rate: String? = view.frameRate.map { String(format: "%.3f", $0) }
            let rows: [(String, String?)] = [
                ("id", view.id), ("kind", view.kind), ("name", view.originalName), ("captured", view.capturedAt),
                ("time source", view.captureTimeSource), ("device", device), ("size", size), ("rotation", rotation),
                ("duration", duration), ("video", view.videoCodec), ("audio", view.audioCodec), ("frame rate", rate),
                ("location", location),
                ("bytes", "\(view.byteSize) (\(view.contentType))"), ("ingested", view.ingestedAt),
            ]
            for case let (label, value?) in rows where !value.isEmpty {
                Terminal.print(pad(label, 12) + value)
            }
        }
    }
}
