import ArgumentParser
import EvidenceKit

/// `--reason`, shared by the commands that output a pupil's media or observations (`cat`, `clip`, `play`,
/// `thumbnail`, `export-annotations`): the break-glass past a consent refusal.
struct OverrideOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Use evidence that consent keeps back, for a safeguarding or legal duty; the reason is sealed in the audit log. Never for anything that leaves the school.",
            valueName: "text"
        )
    )
    var reason: String?

    /// Prints the gate's warnings on stderr.
    static func warn(_ warnings: [String]) {
        for warning in warnings { Terminal.error("warning: \(warning)") }
    }
}
