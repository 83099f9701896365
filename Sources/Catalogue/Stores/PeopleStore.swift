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
    /// What refers to a member of staff (observations they recorded or were present at, audit entries they made).
    func referencesTo(staff: StaffID, handle: String) throws -> [String]
    /// Deletes a staff row nothing refers to.
    func removeStaff(_ id: StaffID) throws
}
