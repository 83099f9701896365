public import Foundation
internal import Catalogue
internal import GRDB
internal import Synchronization
internal import Vault

extension Library {
    static let pupilContext = "pupil.profile"

    /// Every pupil, decrypted in memory (once per process; see ``people``).
    public func pupilDirectory() throws(EvidenceError) -> PupilDirectory {
        if let cached = people.withLock({ $0.pupils }) { return cached }
        let directory = try loadPupilDirectory()
        people.withLock { $0.pupils = directory }
        return directory
    }

    private func loadPupilDirectory() throws(EvidenceError) -> PupilDirectory {
        do {
            let rows = try catalogue.read { db in
                try Row.fetchAll(db, sql: "SELECT id, profile_sealed, year_group, class_name FROM pupil")
            }
            var pupils: [Pupil] = []
            pupils.reserveCapacity(rows.count)
            for row in rows {
                let profile = try openProfile(row["profile_sealed"], as: PupilProfile.self, context: Self.pupilContext)
                pupils.append(
                    Pupil(
                        id: row["id"], handle: profile.handle, name: profile.name, preferredName: profile.preferredName,
                        upn: profile.upn, dateOfBirth: profile.dateOfBirth, yearGroup: row["year_group"],
                        className: row["class_name"], sendNeed: profile.sendNeed, outcomes: profile.outcomes
                    )
                )
            }
            return PupilDirectory(pupils)
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Adds a pupil; the handle is made from the name unless given, and must be unique.
    @discardableResult
    public func addPupil(_ draft: PupilDraft) throws(EvidenceError) -> Pupil {
        let directory = try pupilDirectory()
        var pupil = try pupil(from: draft, id: 0, taken: Set(directory.pupils.map(\.handle)))
        defer { forgetPeople() }
        do {
            try catalogue.write { db in
                pupil.id = try insertPupil(db, pupil)
                try catalogue.appendAudit(db, actor: actor, action: "pupil-add", pupilID: pupil.id)
            }
        } catch {
            throw uniqueViolation(error, pupil: pupil)
        }
        return pupil
    }

    /// Replaces a pupil's details (the handle stays), keeping the row id and every tag.
    public func updatePupil(_ pupil: Pupil) throws(EvidenceError) {
        defer { forgetPeople() }
        do {
            try catalogue.write { db in
                try writePupil(db, pupil, insert: false)
                try catalogue.appendAudit(db, actor: actor, action: "pupil-edit", pupilID: pupil.id)
            }
        } catch {
            throw uniqueViolation(error, pupil: pupil)
        }
    }

    func pupil(from draft: PupilDraft, id: Int64, taken: Set<String>) throws(EvidenceError) -> Pupil {
        let name = draft.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw EvidenceError(.usage, "A pupil needs a name.") }
        if let dob = draft.dateOfBirth, !dob.isEmpty { _ = try CalendarDate.parse(dob, option: "date of birth") }
        var handle: String
        if let given = draft.handle, !given.isEmpty {
            handle = try Handle.validate(given, what: "pupil")
            if taken.contains(handle) {
                throw EvidenceError(.usage, "The handle \(handle) is already used by another pupil; choose another with --handle.")
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
            id: id, handle: handle, name: name, preferredName: blankToNil(draft.preferredName),
            upn: blankToNil(draft.upn)?.uppercased(), dateOfBirth: blankToNil(draft.dateOfBirth),
            yearGroup: blankToNil(draft.yearGroup), className: blankToNil(draft.className),
            sendNeed: blankToNil(draft.sendNeed), outcomes: draft.outcomes.compactMap(blankToNil)
        )
    }

    func insertPupil(_ db: Database, _ pupil: Pupil) throws -> Int64 {
        try writePupil(db, pupil, insert: true)
        return db.lastInsertedRowID
    }

    func writePupil(_ db: Database, _ pupil: Pupil, insert: Bool) throws {
        let profile = PupilProfile(
            handle: pupil.handle, name: pupil.name, preferredName: pupil.preferredName, upn: pupil.upn,
            dateOfBirth: pupil.dateOfBirth, sendNeed: pupil.sendNeed, outcomes: pupil.outcomes
        )
        let sealed = try sealProfile(profile, context: Self.pupilContext)
        let upnTag = pupil.upn.map { master.lookupTag($0, context: "pupil.upn") }
        let now = Date()
        if insert {
            try db.execute(
                sql: """
                    INSERT INTO pupil (lookup, upn_lookup, profile_sealed, year_group, class_name, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    master.lookupTag(pupil.handle, context: "pupil.handle"), upnTag, sealed, pupil.yearGroup,
                    pupil.className, now, now,
                ]
            )
        } else {
            try db.execute(
                sql: """
                    UPDATE pupil SET upn_lookup = ?, profile_sealed = ?, year_group = ?, class_name = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [upnTag, sealed, pupil.yearGroup, pupil.className, now, pupil.id]
            )
        }
    }

    private func uniqueViolation(_ error: any Error, pupil: Pupil) -> EvidenceError {
        if let db = error as? DatabaseError, db.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            return EvidenceError(
                .usage,
                "Another pupil already has the handle \(pupil.handle) or the UPN given. Check `evidence pupils list`."
            )
        }
        if let catalogue = error as? CatalogueError, let db = catalogue.cause as? DatabaseError,
            db.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
        {
            return uniqueViolation(db, pupil: pupil)
        }
        return EvidenceError.from(error)
    }

    func sealProfile(_ profile: some Encodable, context: String) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var json = try encoder.encode(profile)
        defer { json.resetBytes(in: 0..<json.count) }
        return try master.seal(String(decoding: json, as: UTF8.self), context: context)
    }

    func openProfile<T: Decodable>(_ sealed: Data, as type: T.Type, context: String) throws -> T {
        let text = try master.open(sealed, context: context)
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
