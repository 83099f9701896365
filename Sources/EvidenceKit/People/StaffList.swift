import Foundation
internal import Catalogue
internal import Vault

/// Adds members of staff.
public struct StaffList: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// Removes a member of staff added by mistake; refused while observations name them (as observer or as an adult
    /// present) or they have acted in the audit log.
    public func remove(_ handle: String) throws(EvidenceError) -> StaffMember {
        let member = try library.resolveStaff(handle, in: library.staffMembers(), field: Field("staff"))
        try session.removeUnreferenced(
            member.handle, field: Field("staff"), references: { try $0.referencesTo(staff: member.id, handle: member.handle) },
            remove: { store in
                try store.removeStaff(member.id)
                try store.appendAudit(session.auditDraft("staff-remove", detail: "staff=\(member.id.rawValue)"))
            })
        return member
    }

    /// Adds a member of staff.
    @discardableResult
    public func addStaff(handle: String, name: String, role: String?) throws(EvidenceError) -> StaffMember {
        let handle = try Handle.validate(handle, what: "staff")
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw EvidenceError(.usage, "A member of staff needs a name.", field: Field("name"))
        }
        var member = StaffMember(id: StaffID(0), handle: handle, name: name, role: role)
        defer { library.forgetPeople() }
        do {
            let lookup = library.master.lookupTag(handle, context: "staff.handle")
            let sealed = try library.sealProfile(
                StaffProfile(handle: handle, name: name, role: role), context: Library.staffContext)
            try catalogue.write { store in
                if try store.staffExists(lookup: lookup) {
                    throw EvidenceError(
                        .usage, "The staff handle \(handle) is already taken.", field: Field("handle"), value: handle,
                        remedy: .listStaff)
                }
                member.id = try store.insertStaff(
                    StaffRecord(id: StaffID(0), lookup: lookup, profileSealed: sealed, createdAt: session.clock()))
                try store.appendAudit(session.auditDraft("staff-add", detail: "staff=\(member.id.rawValue)"))
            }
        } catch {
            throw EvidenceError.from(error)
        }
        return member
    }
}
