import ArgumentParser
import EvidenceKit
import Foundation

/// The exit codes, in one place (DESIGN.md): 0 ok, 1 some inputs failed, 2 usage, 3 locked, 4 integrity, 5 refused by
/// consent.
enum ExitStatus: Int32 {
    case ok = 0
    case someFailed = 1
    case usage = 2
    case locked = 3
    case integrity = 4
    case refusedByConsent = 5

    init(_ category: EvidenceError.Category) {
        switch category {
        case .inputFailed, .failure: self = .someFailed
        case .usage: self = .usage
        case .locked: self = .locked
        case .integrity: self = .integrity
        case .refusedByConsent: self = .refusedByConsent
        }
    }
}

/// Runs a command body; any error is printed to stderr as one plain sentence and becomes its exit code.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        let lifted = EvidenceError.from(error)
        Terminal.error(ErrorText.message(lifted))
        if ProcessInfo.processInfo.environment["EVIDENCE_DEBUG"] != nil, let cause = lifted.cause {
            Terminal.error("cause: \(cause)")
        }
        throw ExitCode(ExitStatus(lifted.category).rawValue)
    }
}
