public import Foundation
internal import CSV
internal import Catalogue
internal import GRDB
internal import Vault

extension Library {
    /// Records many consent decisions from a CSV (`pupil,purpose,decision,from,note`; the header row is required),
    /// in one transaction: the start-of-year consent forms in one go. Returns how many were recorded.
    public func importConsent(path: String) throws(EvidenceError) -> Int {
        let text = try TextFile.read(path, what: "consent")
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true)
        } catch {
            throw EvidenceError(.usage, "\(path): not a readable CSV file (\(error)).")
        }
        let header = (reader.headerRow ?? []).map { $0.lowercased() }
        guard let pupilColumn = header.firstIndex(of: "pupil"), let purposeColumn = header.firstIndex(of: "purpose"),
            let decisionColumn = header.firstIndex(of: "decision")
        else {
            throw EvidenceError(.usage, "\(path), line 1: the header needs pupil, purpose and decision (and may have from, note).")
        }
        let fromColumn = header.firstIndex(of: "from")
        let noteColumn = header.firstIndex(of: "note")
        let directory = try pupilDirectory()
        let today = CalendarDate.day(of: Date(), in: timeZone)
        var rows: [(Pupil, ConsentPurpose, ConsentDecision, String, String?)] = []
        var line = 1
        while let row = reader.next() {
            line += 1
            if row.allSatisfy(\.isEmpty) { continue }
            func field(_ index: Int?) -> String? {
                guard let index, index < row.count, !row[index].isEmpty else { return nil }
                return row[index]
            }
            do {
                let pupil = try directory.resolve(field(pupilColumn) ?? "", option: "pupil")
                let purpose: ConsentPurpose = try parseChoice(field(purposeColumn) ?? "", option: "purpose")
                let decision: ConsentDecision = try parseChoice(field(decisionColumn) ?? "", option: "decision")
                let from = try field(fromColumn).map { (text) throws(EvidenceError) in try CalendarDate.parse(text, option: "from") } ?? today
                rows.append((pupil, purpose, decision, from, field(noteColumn)))
            } catch {
                throw EvidenceError(.usage, "\(path), line \(line): \(EvidenceError.from(error).message)")
            }
        }
        if let error = reader.error { throw EvidenceError(.usage, "\(path), line \(line + 1): malformed CSV (\(error)).") }
        do {
            try catalogue.write { db in
                for (pupil, purpose, decision, from, note) in rows {
                    _ = try recordConsent(db, pupilID: pupil.id, purpose: purpose, decision: decision, from: from, note: note)
                }
            }
        } catch {
            throw EvidenceError.from(error)
        }
        return rows.count
    }
}
