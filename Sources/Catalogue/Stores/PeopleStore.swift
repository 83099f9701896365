public import Foundation

/// Pupils and staff, as sealed rows.
public protocol PeopleStore {
    /// Every pupil row.
    func pupilRecords() throws -> [PupilRecord]
    /// Stores a new pupil; a taken handle or UPN fails with ``CatalogueError/Code/duplicate``.
    func insertPupil(_ record: PupilRecord) throws -> PupilID
    /// Replaces a pupil's sealed profile, UPN lookup, year and class.
    func updatePupil(_ record: PupilRecord) throws
    /// Every staff row.
    func staffRecords() throws -> [StaffRecord]
    /// Whether a staff handle's lookup tag is taken.
    func staffExists(lookup: Data) throws -> Bool
    /// Stores a new member of staff.
    func insertStaff(_ record: StaffRecord) throws -> StaffID
    /// What refers to a pupil, in words (`3 observations`, `2 consent decisions`); empty when nothing does.
    func referencesTo(pupil: PupilID) throws -> [String]
    /// Deletes a pupil row nothing refers to.
    func removePupil(_ id: PupilID) throws
    /// Moves everything of one pupil's onto another (observations, every version; appearances; consent history,
    /// rewritten whole since the register refuses UPDATE), each row checked before it moves and authenticated after;
    /// then deletes the emptied pupil row. Returns what moved.
    func mergePupil(_ from: PupilID, into: PupilID) throws -> PupilMerge
    /// What refers to a member of staff (observations they recorded or were present at, audit entries they made).
    func referencesTo(staff: StaffID, handle: String) throws -> [String]
    /// Deletes a staff row nothing refers to.
    func removeStaff(_ id: StaffID) throws
}

/// What ``PeopleStore/mergePupil(_:into:)`` moved.
public struct PupilMerge: Sendable, Equatable, Codable {
    /// Observation rows (every version) now of the remaining pupil.
    public var observations = 0
    /// Assets the remaining pupil now appears in (already there: counted once).
    public var appearances = 0
    /// Consent decisions now in the remaining pupil's history.
    public var consentDecisions = 0
    /// Nothing moved yet.
    public init() {}
}
