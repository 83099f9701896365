import ArgumentParser
import Catalogue
import EvidenceKit
import Foundation

/// `evidence assets`: lists the library's photos and videos.
struct Assets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the photos and videos in the library.")

    @OptionGroup var options: LibraryOptions

    @Flag(help: "Print JSON (an array of assets) on stdout.")
    var json = false

    func run() async throws {
        try await reportingErrors {
            let session = try options.session()
            let views = try AssetBrowser(session).assetViews()
            if json {
                try Terminal.printJSON(views)
                return
            }
            if views.isEmpty {
                Terminal.print("The library is empty. Add media with `evidence ingest PATH`.")
                return
            }
            let header = [pad("ID", 8), pad("KIND", 5), pad("CAPTURED", 25), pad("DEVICE", 24), pad("SIZE", 9), "NAME"]
            Terminal.print(header.joined(separator: "  "))
            for v in views {
                let device = [v.make, v.model].compactMap { $0 }.joined(separator: " ")
                var detail = Terminal.bytes(v.byteSize)
                if let d = v.durationSeconds { detail = String(format: "%.1fs", d) }
                let columns: [String] = [
                    pad(String((v.id ?? "").prefix(8)), 8), pad(v.kind, 5), pad(v.capturedAt, 25),
                    pad(String(device.prefix(24)), 24), pad(detail, 9), v.originalName ?? "",
                ]
                Terminal.print(columns.joined(separator: "  "))
            }
            Terminal.note("\(views.count) assets.")
        }
    }
}

/// Left-aligns `text` in `width` columns.
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}
