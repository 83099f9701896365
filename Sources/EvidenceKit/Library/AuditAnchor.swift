import Catalogue
import Foundation
import Vault

#if canImport(Glibc)
    import Glibc
#endif

/// The audit chain's head, kept outside the catalogue (`keys/audit-anchor`) with a keyed MAC, so deleting the last
/// entries, all of them, or putting an older copy of the catalogue back is found: the catalogue would then end
/// before the anchor, or hold another entry where the anchor points. Docs/audit-anchor.md gives the format.
///
/// Write order: an entry is committed to the catalogue first and the anchor advanced after, so a crash in between
/// leaves the anchor behind the chain (accepted, explained and advanced by the next check), never ahead of it.
/// The anchor only ever moves forward: an attempt to set it to an earlier entry is ignored.
struct AuditAnchor: Sendable {
    let path: String
    let master: MasterKey

    /// What the anchor file says.
    enum State {
        case missing
        case invalid
        case at(AuditPosition)
    }

    /// Domain separation: a MAC over the anchor can never equal a chain hash.
    private static let separator = Data(repeating: 0xA5, count: 32)

    private func mac(_ position: AuditPosition) -> Data {
        master.auditHash(previous: Self.separator, fields: "audit-anchor\u{1F}\(position.seq)\u{1F}\(position.hash.hex)")
    }

    /// Reads and checks the anchor.
    func read() -> State {
        guard let data = FileManager.default.contents(atPath: path) else { return .missing }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.count == 4, lines[0] == "evidence-audit-anchor 1", let seq = Int64(lines[1]),
            let hash = Data(hex: lines[2]), let mac = Data(hex: lines[3])
        else { return .invalid }
        let position = AuditPosition(seq: seq, hash: hash)
        return mac == self.mac(position) ? .at(position) : .invalid
    }

    /// Moves the anchor to `position` if that is further on; durable (written beside, fsynced, renamed) and
    /// serialised between processes with a lock file. Errors are swallowed: a lagging anchor is explained by the
    /// next check, and the commit it follows has already landed.
    func advance(to position: AuditPosition) {
        let lock = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { return }
        defer { close(lock) }
        guard flock(lock, LOCK_EX) == 0 else { return }
        switch read() {
        case .at(let current) where current.seq >= position.seq: return
        case .invalid: return  // keep the evidence of tampering for the check to report
        default: break
        }
        let text = "evidence-audit-anchor 1\n\(position.seq)\n\(position.hash.hex)\n\(mac(position).hex)\n"
        let temporary = path + ".new"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { return }
        let fd = open(temporary, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        guard rename(temporary, path) == 0 else { return }
        try? SystemFile.syncDirectory((path as NSString).deletingLastPathComponent)
    }
}

extension Library {
    /// Checks the audit chain: every entry's link and keyed hash, that it begins with the library's creation, and
    /// that it reaches its anchor with the anchored entry in place. A lagging anchor is advanced, with a note.
    func checkAuditChain() throws(EvidenceError) -> AuditCheck {
        let anchor = AuditAnchor(path: layout.auditAnchor.path, master: master)
        let state = anchor.read()
        let anchored: AuditPosition? = if case .at(let position) = state { position } else { nil }
        let report: AuditChainReport
        do { report = try catalogue.verifyAudit(anchorSeq: anchored?.seq) } catch { throw EvidenceError.from(error) }
        var check = AuditCheck(entries: report.count, firstBroken: report.firstBroken)
        let head = report.head?.seq ?? 0
        if report.firstAction != "init" {
            check.problem = "the audit log does not begin with the library's creation: its first entries were removed"
        }
        switch state {
        case .invalid:
            check.problem = "the audit anchor (keys/audit-anchor) was altered, or comes from another library"
        case .missing where report.wasAnchored:
            check.problem = "the audit anchor (keys/audit-anchor) is missing, although the log says it was anchored"
        case .missing:
            break
        case .at(let position):
            if head < position.seq {
                check.problem =
                    "the audit log ends at entry \(head) but was anchored at entry \(position.seq): entries were deleted, or an older copy of the catalogue was put back"
            } else if report.atAnchor?.hash != position.hash {
                check.problem = "entry \(position.seq) is not the entry that was anchored: the catalogue was replaced"
            } else if head > position.seq, check.firstBroken == nil, check.problem == nil, let last = report.head {
                check.note =
                    "the anchor was \(head - position.seq) entr\(head - position.seq == 1 ? "y" : "ies") behind (a command stopped right after its commit); it now points at entry \(head)"
                anchor.advance(to: last)
            }
        }
        return check
    }

    /// Anchors the chain of a library made before anchors existed (once: the entry it appends says so).
    func anchorIfNeeded() {
        let anchor = AuditAnchor(path: layout.auditAnchor.path, master: master)
        guard case .missing = anchor.read(), let report = try? catalogue.verifyAudit(anchorSeq: nil),
            report.count > 0, !report.wasAnchored, report.firstBroken == nil
        else { return }
        try? catalogue.write { store in
            try store.appendAudit(AuditDraft(actor: "evidence", action: "audit-anchored", detail: "entries=\(report.count)"))
        }
    }
}

extension Data {
    /// Lower-case hex.
    var hex: String { map { String(format: "%02x", $0) }.joined() }

    /// From lower- or upper-case hex; nil for anything else.
    init?(hex: String) {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
