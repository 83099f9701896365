public import Foundation
internal import Catalogue
internal import GRDB
internal import Synchronization
internal import Vault

extension Library {
    static let staffContext = "staff.profile"

    /// Adds a member of staff.
    @discardableResult
    public func addStaff(handle: String, name: String, role: String?) throws(EvidenceError) -> StaffMember {
        let handle = try Handle.validate(handle, what: "staff")
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw EvidenceError(.usage, "A member of staff needs a name (--name).")
        }
        var member = StaffMember(id: 0, handle: handle, name: name, role: role)
        defer { forgetPeople() }
        do {
            let sealed = try sealProfile(StaffProfile(handle: handle, name: name, role: role), context: Self.staffContext)
            try catalogue.write { db in
                if try Bool.fetchOne(
                    db, sql: "SELECT EXISTS(SELECT 1 FROM staff WHERE lookup = ?)",
                    arguments: [master.lookupTag(handle, context: "staff.handle")]) == true
                {
                    throw EvidenceError(.usage, "The staff handle \(handle) is already taken; see `evidence staff list`.")
                }
                try db.execute(
                    sql: "INSERT INTO staff (lookup, profile_sealed, created_at) VALUES (?, ?, ?)",
                    arguments: [master.lookupTag(handle, context: "staff.handle"), sealed, Date()]
                )
                member.id = db.lastInsertedRowID
                try catalogue.appendAudit(db, actor: actor, action: "staff-add", detail: "staff=\(member.id)")
            }
        } catch {
            throw EvidenceError.from(error)
        }
        return member
    }

    /// Every member of staff, decrypted, by handle (once per process; see ``people``).
    public func staffMembers() throws(EvidenceError) -> [StaffMember] {
        if let cached = people.withLock({ $0.staff }) { return cached }
        let members = try loadStaffMembers()
        people.withLock { $0.staff = members }
        return members
    }

    private func loadStaffMembers() throws(EvidenceError) -> [StaffMember] {
        do {
            let rows = try catalogue.read { db in try Row.fetchAll(db, sql: "SELECT id, profile_sealed FROM staff") }
            var members: [StaffMember] = []
            for row in rows {
                let profile = try openProfile(row["profile_sealed"], as: StaffProfile.self, context: Self.staffContext)
                members.append(StaffMember(id: row["id"], handle: profile.handle, name: profile.name, role: profile.role))
            }
            return members.sorted { $0.handle < $1.handle }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// A member of staff by handle or unambiguous start of handle or name.
    func resolveStaff(_ text: String, in members: [StaffMember], option: String) throws(EvidenceError) -> StaffMember {
        let needle = text.lowercased()
        if let exact = members.first(where: { $0.handle == needle }) { return exact }
        let matches = members.filter { $0.handle.hasPrefix(needle) || $0.name.lowercased().hasPrefix(needle) }
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty {
            throw EvidenceError(
                .usage, "No member of staff matches \"\(text)\" (\(option)). Add them with `evidence staff add HANDLE --name NAME`.")
        }
        throw EvidenceError(
            .usage,
            "\"\(text)\" (\(option)) matches several staff: \(matches.map(\.handle).joined(separator: ", ")). Use the handle."
        )
    }
}
