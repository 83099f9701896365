import Foundation
internal import Catalogue
internal import Synchronization
internal import Vault

extension Library {
    static let pupilContext = "pupil.profile"
    static let staffContext = "staff.profile"

    /// Every pupil, decrypted in memory (once per process; see ``people``).
    public func pupilDirectory() throws(EvidenceError) -> PupilDirectory {
        if let cached = people.withLock({ $0.pupils }) { return cached }
        do {
            let records = try catalogue.read { store in try store.pupilRecords() }
            var pupils: [Pupil] = []
            pupils.reserveCapacity(records.count)
            for record in records {
                let profile = try openProfile(record.profileSealed, as: PupilProfile.self, context: Self.pupilContext)
                pupils.append(
                    Pupil(
                        id: record.id, handle: profile.handle, name: profile.name, surname: profile.surname,
                        preferredName: profile.preferredName,
                        upn: profile.upn, dateOfBirth: profile.dateOfBirth, yearGroup: record.yearGroup,
                        className: record.className, sendNeed: profile.sendNeed, outcomes: profile.outcomes,
                        engagementModel: profile.engagementModel ?? false
                    )
                )
            }
            let directory = PupilDirectory(pupils)
            people.withLock { $0.pupils = directory }
            return directory
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Every member of staff, decrypted, by handle (once per process; see ``people``).
    public func staffMembers() throws(EvidenceError) -> [StaffMember] {
        if let cached = people.withLock({ $0.staff }) { return cached }
        do {
            let records = try catalogue.read { store in try store.staffRecords() }
            var members: [StaffMember] = []
            for record in records {
                let profile = try openProfile(record.profileSealed, as: StaffProfile.self, context: Self.staffContext)
                members.append(StaffMember(id: record.id, handle: profile.handle, name: profile.name, role: profile.role))
            }
            members.sort { $0.handle < $1.handle }
            people.withLock { $0.staff = members }
            return members
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// A member of staff by handle or unambiguous start of handle or name.
    func resolveStaff(_ text: String, in members: [StaffMember], field: Field) throws(EvidenceError) -> StaffMember {
        let needle = text.lowercased()
        if let exact = members.first(where: { $0.handle == needle }) { return exact }
        let matches = members.filter { $0.handle.hasPrefix(needle) || $0.name.lowercased().hasPrefix(needle) }
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty {
            throw EvidenceError(
                .usage, "No member of staff matches \"\(text)\".", field: field, value: text, remedy: .addStaff(handle: nil))
        }
        throw EvidenceError(
            .usage, "\"\(text)\" matches several staff: \(matches.map(\.handle).joined(separator: ", ")). Use the handle.",
            field: field, value: text)
    }

    /// The sealed pupil row for `pupil` (its handle and UPN as keyed lookup tags).
    func pupilRecord(_ pupil: Pupil, now: Date) throws -> PupilRecord {
        let profile = PupilProfile(
            handle: pupil.handle, name: pupil.name, preferredName: pupil.preferredName, upn: pupil.upn,
            dateOfBirth: pupil.dateOfBirth, sendNeed: pupil.sendNeed, outcomes: pupil.outcomes,
            engagementModel: pupil.engagementModel ? true : nil, surname: pupil.surname
        )
        return PupilRecord(
            id: pupil.id, lookup: master.lookupTag(pupil.handle, context: "pupil.handle"),
            upnLookup: pupil.upn.map { master.lookupTag($0, context: "pupil.upn") },
            profileSealed: try sealProfile(profile, context: Self.pupilContext), yearGroup: pupil.yearGroup,
            className: pupil.className, createdAt: now, updatedAt: now)
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
