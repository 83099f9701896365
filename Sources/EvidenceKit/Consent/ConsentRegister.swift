public import Catalogue
import Foundation
internal import Vault

/// Records and shows consent decisions; the register is history, rows are only ever added.
public struct ConsentRegister: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// Records a consent decision for a pupil, from `effectiveFrom` (default today); the history is kept.
    public func setConsent(
        pupil: Pupil, purpose: ConsentPurpose, decision: ConsentDecision, effectiveFrom: String? = nil,
        note: String? = nil
    ) throws(EvidenceError) -> ConsentEntry {
        let day = try effectiveFrom.map { (text) throws(EvidenceError) in try CalendarDate.parse(text, field: Field("from")) }
            ?? session.today
        do {
            let record = try record(pupilID: pupil.id, purpose: purpose, decision: decision, from: day, note: note)
            return try catalogue.write { store in try insert(record, into: store) }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// The consent register (for one pupil, or everyone), oldest first, with notes opened: audited as a view of
    /// personal data.
    public func consentHistory(pupilID: PupilID? = nil) throws(EvidenceError) -> [(entry: ConsentEntry, note: String?)] {
        try session.audit("consent-view", pupilID: pupilID)
        do {
            let records = try catalogue.read { store in try store.consentRecords(pupilID: pupilID) }
                .sorted { ($0.pupilID, $0.purpose.rawValue, $0.effectiveFrom, $0.id) < ($1.pupilID, $1.purpose.rawValue, $1.effectiveFrom, $1.id) }
            return try records.map { record in
                (Self.entry(record), try record.noteSealed.map { try library.master.open($0, context: "consent.note") })
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Records many consent decisions from a CSV (`pupil,purpose,decision,from,note`; the header row is required),
    /// in one transaction: the start-of-year consent forms in one go. Returns how many were recorded.
    public func importConsent(path: String) throws(EvidenceError) -> Int {
        let text = try TextFile.read(path, what: "consent")
        let table = try CSVTable(text, path: path)
        let header = table.header.map { $0.lowercased() }
        guard let pupilColumn = header.firstIndex(of: "pupil"), let purposeColumn = header.firstIndex(of: "purpose"),
            let decisionColumn = header.firstIndex(of: "decision")
        else {
            throw EvidenceError(.usage, "\(path), line 1: the header needs pupil, purpose and decision (and may have from, note).")
        }
        let fromColumn = header.firstIndex(of: "from")
        let noteColumn = header.firstIndex(of: "note")
        let directory = try library.pupilDirectory()
        let today = session.today
        var records: [ConsentRecord] = []
        try table.forEachRow { (line, row) throws(EvidenceError) in
            func field(_ index: Int?) -> String? { row[index] }
            do {
                let pupil = try directory.resolve(field(pupilColumn) ?? "", field: .column("pupil"))
                let purpose: ConsentPurpose = try parseChoice(field(purposeColumn) ?? "", field: .column("purpose"))
                let decision: ConsentDecision = try parseChoice(field(decisionColumn) ?? "", field: .column("decision"))
                let from = try field(fromColumn).map { (text) throws(EvidenceError) in
                    try CalendarDate.parse(text, field: .column("from"))
                } ?? today
                records.append(try record(pupilID: pupil.id, purpose: purpose, decision: decision, from: from, note: field(noteColumn)))
            } catch {
                throw EvidenceError.from(error).prefixed("\(path), line \(line)")
            }
        }
        do {
            try catalogue.write { store in
                for record in records { _ = try insert(record, into: store) }
            }
        } catch {
            throw EvidenceError.from(error)
        }
        return records.count
    }

    private func record(
        pupilID: PupilID, purpose: ConsentPurpose, decision: ConsentDecision, from day: String, note: String?
    ) throws -> ConsentRecord {
        ConsentRecord(
            pupilID: pupilID, purpose: purpose, decision: decision, effectiveFrom: day, recordedAt: session.clock(),
            recordedBy: actor, noteSealed: try note.map { try library.master.seal($0, context: "consent.note") })
    }

    /// Adds one decision to the register with its audit entry.
    private func insert(_ record: ConsentRecord, into store: any CatalogueTransaction) throws -> ConsentEntry {
        var record = record
        record.id = try store.insertConsent(record)
        try store.appendAudit(
            session.auditDraft(
                "consent-set", pupilID: record.pupilID,
                detail: "\(record.purpose.rawValue)=\(record.decision.rawValue) from \(record.effectiveFrom)"))
        return Self.entry(record)
    }

    /// The whole register, for rule checks.
    static func entries(_ store: any CatalogueTransaction) throws -> [ConsentEntry] {
        try store.consentRecords(pupilID: nil).map(entry)
    }

    static func entry(_ record: ConsentRecord) -> ConsentEntry {
        ConsentEntry(
            pupilID: record.pupilID, purpose: record.purpose, decision: record.decision,
            effectiveFrom: record.effectiveFrom, recordedAt: record.recordedAt, recordedBy: record.recordedBy,
            sequence: record.id)
    }
}
