import Foundation
internal import Catalogue

/// Adds and edits pupils on the roster (one at a time, or from an MIS export).
public struct Roster: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// A pupil's whole profile (name, UPN, date of birth, need, outcomes), audited as a view of their personal data.
    public func profile(of text: String) throws(EvidenceError) -> Pupil {
        let pupil = try library.pupilDirectory().resolve(text)
        try session.audit("pupil-view", pupilID: pupil.id)
        return pupil
    }

    /// Pupils already on the roster with the same name (or preferred name) as `name`, so a second `add` of the same
    /// child can be caught.
    public func namesakes(of name: String) throws(EvidenceError) -> [Pupil] {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        return try library.pupilDirectory().pupils.filter { $0.name.lowercased() == key || $0.preferredName?.lowercased() == key }
    }

    /// Removes a pupil added by mistake. Refused while anything refers to them (observations, appearances, consent
    /// history, audit entries other than their own addition and edits): erasure of evidence is another workflow.
    public func remove(_ text: String) throws(EvidenceError) -> Pupil {
        let pupil = try library.pupilDirectory().resolve(text)
        try session.removeUnreferenced(
            pupil.handle, field: Field("pupil"), references: { try $0.referencesTo(pupil: pupil.id) },
            remove: { store in
                try store.removePupil(pupil.id)
                try store.appendAudit(session.auditDraft("pupil-remove", detail: "pupil=\(pupil.id.rawValue)"))
            })
        return pupil
    }

    /// Merges a pupil entered twice into the one to keep: `duplicate`'s observations (every version), appearances
    /// and consent history become `keep`'s, and `duplicate` leaves the roster. Audited once, naming both, so the
    /// audit log's earlier entries about the duplicate are listed with the kept pupil's (`audit --pupil`).
    public func merge(_ duplicateText: String, into keepText: String) throws(EvidenceError) -> PupilMergeResult {
        let directory = try library.pupilDirectory()
        let duplicate = try directory.resolve(duplicateText)
        let keep = try directory.resolve(keepText, field: Field("into"))
        guard duplicate.id != keep.id else {
            throw EvidenceError(.usage, "\(keep.handle) cannot be merged into itself.", field: Field("into"), value: keep.handle)
        }
        defer { library.forgetPeople() }
        do {
            let moved = try catalogue.write { store in
                let moved = try store.mergePupil(duplicate.id, into: keep.id)
                try store.appendAudit(
                    session.auditDraft(
                        Self.mergeAction, pupilID: duplicate.id,
                        detail: "\(Self.mergeInto)\(keep.id.rawValue) observations=\(moved.observations) appearances=\(moved.appearances) consent=\(moved.consentDecisions)"))
                return moved
            }
            return PupilMergeResult(
                merged: duplicate.handle, into: keep.handle, movedObservations: moved.observations,
                movedAppearances: moved.appearances, movedConsentDecisions: moved.consentDecisions)
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// The audit action of a merge; its entry names the duplicate as its pupil and the kept one in its detail.
    static let mergeAction = "pupil-merge"
    static let mergeInto = "into="

    /// Adds a pupil; the handle is made from the name unless given, and must be unique.
    @discardableResult
    public func addPupil(_ draft: PupilDraft) throws(EvidenceError) -> Pupil {
        let directory = try library.pupilDirectory()
        var pupil = try Self.pupil(from: draft, id: PupilID(0), taken: Set(directory.pupils.map(\.handle)))
        defer { library.forgetPeople() }
        do {
            let record = try library.pupilRecord(pupil, now: session.clock())
            try catalogue.write { store in
                pupil.id = try store.insertPupil(record)
                try store.appendAudit(session.auditDraft("pupil-add", pupilID: pupil.id))
            }
        } catch {
            throw Self.duplicate(error, pupil: pupil)
        }
        return pupil
    }

    /// Replaces a pupil's details (the handle stays), keeping the row id and every tag.
    public func updatePupil(_ pupil: Pupil) throws(EvidenceError) {
        defer { library.forgetPeople() }
        do {
            let record = try library.pupilRecord(pupil, now: session.clock())
            try catalogue.write { store in
                try store.updatePupil(record)
                try store.appendAudit(session.auditDraft("pupil-edit", pupilID: pupil.id))
            }
        } catch {
            throw Self.duplicate(error, pupil: pupil)
        }
    }

    /// Imports a roster CSV in one transaction: new pupils are added, known ones (same UPN, else same handle)
    /// updated. With `dryRun`, reports what would change and writes nothing.
    public func importRoster(path: String, dryRun: Bool = false) throws(EvidenceError) -> RosterImportReport {
        let rows = try RosterCSV.read(path: path)
        let directory = try library.pupilDirectory()
        var taken = Set(directory.pupils.map(\.handle))
        var byUPN = Dictionary(directory.pupils.compactMap { p in p.upn.map { ($0, p) } }, uniquingKeysWith: { a, _ in a })
        var byHandle = Dictionary(directory.pupils.map { ($0.handle, $0) }, uniquingKeysWith: { a, _ in a })
        var report = RosterImportReport(dryRun: dryRun)
        var inserts: [Pupil] = []
        var updates: [Pupil] = []
        for (line, draft) in rows {
            let existing = draft.upn.flatMap { byUPN[$0.uppercased()] } ?? draft.handle.flatMap { byHandle[$0.lowercased()] }
            do {
                if let existing {
                    var changed = try Self.pupil(from: draft, id: existing.id, taken: [])
                    changed.handle = existing.handle
                    // What an MIS export does not carry stays as the school recorded it.
                    changed.engagementModel = existing.engagementModel
                    if draft.surname == nil { changed.surname = existing.surname }
                    if changed == existing {
                        report.unchanged += 1
                    } else {
                        updates.append(changed)
                        report.updated.append(changed.handle)
                    }
                } else {
                    let added = try Self.pupil(from: draft, id: PupilID(0), taken: taken)
                    taken.insert(added.handle)
                    if let upn = added.upn {
                        guard byUPN[upn] == nil else {
                            throw EvidenceError(.usage, "the UPN \(upn) appears twice", field: .column("upn"), value: upn)
                        }
                        byUPN[upn] = added
                    }
                    byHandle[added.handle] = added
                    inserts.append(added)
                    report.added.append(added.handle)
                }
            } catch {
                throw EvidenceError.from(error).prefixed("\(path), line \(line)")
            }
        }
        guard !dryRun else { return report }
        defer { library.forgetPeople() }
        do {
            let now = session.clock()
            let insertRecords = try inserts.map { try library.pupilRecord($0, now: now) }
            let updateRecords = try updates.map { try library.pupilRecord($0, now: now) }
            try catalogue.write { store in
                for record in insertRecords {
                    let id = try store.insertPupil(record)
                    try store.appendAudit(session.auditDraft("pupil-add", pupilID: id, detail: "roster-import"))
                }
                for record in updateRecords {
                    try store.updatePupil(record)
                    try store.appendAudit(session.auditDraft("pupil-edit", pupilID: record.id, detail: "roster-import"))
                }
            }
        } catch {
            throw EvidenceError.from(error)
        }
        return report
    }

    /// A checked pupil from a draft: a name, a real date of birth, and a free (or made-up) handle.
    static func pupil(from draft: PupilDraft, id: PupilID, taken: Set<String>) throws(EvidenceError) -> Pupil {
        let name = draft.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw EvidenceError(.usage, "A pupil needs a name.", field: Field("name")) }
        if let dob = draft.dateOfBirth, !dob.isEmpty {
            _ = try CalendarDate.parse(dob, field: Field("date-of-birth"))
        }
        var handle: String
        if let given = draft.handle, !given.isEmpty {
            handle = try Handle.validate(given, what: "pupil")
            if taken.contains(handle) {
                throw EvidenceError(
                    .usage, "The handle \(handle) is already used by another pupil; choose another.",
                    field: Field("handle"), value: handle)
            }
        } else {
            let base = Handle.suggest(name: name, preferred: draft.preferredName)
            handle = base
            var suffix = 2
            while taken.contains(handle) {
                handle = "\(base)\(suffix)"
                suffix += 1
            }
        }
        func blankToNil(_ text: String?) -> String? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        return Pupil(
            id: id, handle: handle, name: name, surname: blankToNil(draft.surname), preferredName: blankToNil(draft.preferredName),
            upn: blankToNil(draft.upn)?.uppercased(), dateOfBirth: blankToNil(draft.dateOfBirth),
            yearGroup: blankToNil(draft.yearGroup), className: blankToNil(draft.className),
            sendNeed: blankToNil(draft.sendNeed), outcomes: draft.outcomes.compactMap(blankToNil)
        )
    }

    private static func duplicate(_ error: any Error, pupil: Pupil) -> EvidenceError {
        if let catalogue = error as? CatalogueError, catalogue.code == .duplicate {
            return EvidenceError(
                .usage, "Another pupil already has the handle \(pupil.handle) or the UPN given.", field: Field("handle"),
                value: pupil.handle, remedy: .listPupils)
        }
        return EvidenceError.from(error)
    }
}
