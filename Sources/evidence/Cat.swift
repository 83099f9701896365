import ArgumentParser
import Catalogue
import EvidenceKit
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `evidence cat ID`: decrypted bytes to stdout (audited).
struct Cat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Write an asset's decrypted bytes to stdout (for piping to a player; audited).",
        discussion: "Every chunk is authenticated before it is written; a damaged file stops with exit code 4."
    )

    @OptionGroup var options: LibraryOptions

    @Argument(help: "The asset id, or enough of its start to be unambiguous.")
    var id: String
    @OptionGroup var override: OverrideOptions

    func run() async throws {
        try await reportingErrors {
            if isatty(STDOUT_FILENO) == 1 {
                throw EvidenceError(.usage, "Refusing to print media to the terminal. Redirect it: evidence cat \(id) > file, or pipe it to a player.")
            }
            let session = try options.session()
            let library = session.library
            let clearance = try MediaReader(session).writeDecrypted(
                library.resolveAsset(id), to: STDOUT_FILENO, reason: override.reason)
            OverrideOptions.warn(clearance.warnings)
        }
    }
}
