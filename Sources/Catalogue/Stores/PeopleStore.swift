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
}
