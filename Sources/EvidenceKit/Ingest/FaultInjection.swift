import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Test-only crash points: armed with `kill-after:STAGE:N` (the CLI passes `EVIDENCE_FAULT`), this process sends
/// itself SIGKILL right after the N-th file reaches STAGE (`encrypted`, `renamed` or `committed`), so the crash tests
/// can kill -9 at exact steps instead of guessing with timers. Unarmed, it costs one lock per stage reached.
public enum FaultInjection {
    enum Stage: String {
        /// Ingest: a file's blob is written, renamed into the vault, its row committed.
        case encrypted, renamed, committed
        /// Clip: audited, each read of the encrypted source, cut in full (not yet named).
        case clipAudited = "clip-audited", clipRead = "clip-read", clipCut = "clip-cut"
    }

    private static let plan = Mutex<(stage: Stage, count: Int)?>(nil)

    /// Arms a crash point from a `kill-after:STAGE:N` spec; anything else leaves it unarmed.
    public static func arm(_ spec: String) {
        let parts = spec.split(separator: ":")
        guard parts.count == 3, parts[0] == "kill-after", let stage = Stage(rawValue: String(parts[1])),
            let count = Int(parts[2])
        else { return }
        plan.withLock { $0 = (stage, count) }
    }

    private static let counter = Counter()

    /// Marks that a file reached `stage`; kills the process if the plan says so.
    static func reached(_ stage: Stage) {
        guard let plan = plan.withLock({ $0 }), plan.stage == stage else { return }
        if counter.increment() == plan.count {
            kill(getpid(), SIGKILL)
        }
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
