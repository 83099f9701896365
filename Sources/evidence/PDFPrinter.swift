import EvidenceKit
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `--pdf`: prints a report's HTML to PDF with headless Chromium, when it is installed. Both files hold personal data:
/// the HTML goes into a private temporary folder (with Chromium's profile) that is removed afterwards, and the PDF is
/// created owner-only.
enum PDFPrinter {
    /// The Chromium to print with, if any.
    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Prints `html` to `path`.
    static func print(_ html: String, to path: String) throws {
        guard let chromium else {
            throw EvidenceError(
                .failure, "Printing to PDF needs Chromium, which is not installed: `sudo apt-get install chromium`, or print the HTML from a browser.")
        }
        var template = Array((NSTemporaryDirectory() + "evidence-pdf-XXXXXX").utf8CString)
        guard let folder = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }).map({ String(cString: $0) }) else {
            throw EvidenceError(.failure, "Could not make a private temporary folder to print from (errno \(errno)).")
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let page = folder + "/report.html"
        try PrivateDocument.write(Data(html.utf8), to: page)
        let target = URL(fileURLWithPath: path).standardizedFileURL.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments =
            ["--headless=new", "--disable-gpu", "--no-first-run", "--user-data-dir=\(folder)/profile", "--no-pdf-header-footer",
             "--print-to-pdf=\(target)"] + (getuid() == 0 ? ["--no-sandbox"] : []) + ["file://\(page)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        // The PDF is created by Chromium: owner-only from the start.
        let previous = umask(0o077)
        defer { umask(previous) }
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: target) else {
            throw EvidenceError(.failure, "Chromium could not print \(path) (exit \(process.terminationStatus)).")
        }
    }
}
