import ArgumentParser
import Catalogue
import EvidenceKit
import Foundation

/// `evidence assets`: lists the library's photos and videos.
struct Assets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assets", abstract: "List the photos and videos in the library.")

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
            let header = [pad("ID", 8), pad("KIND", 5), pad("CAPTURED", 29), pad("DEVICE", 24), pad("SIZE", 9), "NAME"]
            Terminal.print(header.joined(separator: "  "))
            for v in views {
                let device = [v.make, v.model].compactMap { $0 }.joined(separator: " ")
                var detail = Terminal.bytes(v.byteSize)
                if let d = v.durationSeconds { detail = String(format: "%.1fs", d) }
                let columns: [String] = [
                    pad(String((v.id ?? "").prefix(8)), 8), pad(v.kind, 5), pad(v.capturedAt, 29),
                    pad(escapedForTerminal(String(device.prefix(24))), 24), pad(detail, 9),
                    escapedForTerminal(v.originalName ?? "") + (v.restricted ? "  [kept back by consent: see evidence restricted]" : ""),
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

/// `evidence restricted`: everything consent keeps back, awaiting the school's decision.
struct Restricted: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restricted",
        abstract: "List the evidence that consent keeps back (outputs of it are refused, exit 5) and why.",
        discussion: """
            Evidence of a pupil is kept back when capture consent was not granted on the day it was taken, or has been \
            withdrawn or refused since. Record renewed consent with `evidence consent set`, or erase the evidence.
            """
    )
    @OptionGroup var options: LibraryOptions
    @Flag(help: "Print JSON (an array of assets) on stdout.") var json = false

    func run() async throws {
        try await reportingErrors {
            let views = try AssetBrowser(try options.session()).restrictedAssets()
            if json { return try Terminal.printJSON(views) }
            if views.isEmpty { return Terminal.print("Nothing is kept back by consent.") }
            for view in views {
                Terminal.print("\(String((view.id ?? "").prefix(8)))  \(view.kind)  \(view.capturedAt)")
                for line in view.restrictions { Terminal.print("    \(line)") }
            }
        }
    }
}

