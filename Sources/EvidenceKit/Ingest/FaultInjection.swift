import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Test-only crash points: `EVIDENCE_FAULT=kill-after:STAGE:N` sends this process SIGKILL right after the N-th file
/// reaches STAGE (`encrypted`, `renamed` or `committed`), so the crash tests can kill -9 at exact steps instead of
/// guessing with timers. Unset, it costs one dictionary lookup per process.
enum FaultInjection {
    enum Stage: String {
        case encrypted, renamed, committed
    }

    private static let plan: (stage: Stage, count: Int)? = {
        guard let spec = ProcessInfo.processInfo.environment["EVIDENCE_FAULT"] else { return nil }
        let parts = spec.split(separator: ":")
        guard parts.count == 3, parts[0] == "kill-after", let stage = Stage(rawValue: String(parts[1])),
            let count = Int(parts[2])
        else { return nil }
        return (stage, count)
    }()

    private static let counter = Counter()

    /// Marks that a file reached `stage`; kills the process if the plan says so.
    static func reached(_ stage: Stage) {
        guard let plan, plan.stage == stage else { return }
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
