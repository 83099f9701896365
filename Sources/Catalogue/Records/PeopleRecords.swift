public import Foundation

/// A pupil row: every identifying value sealed; year group and class plain for grouping.
public struct PupilRecord: Codable, Sendable {
    /// Row id (ignored on insert).
    public var id: PupilID
    /// Keyed hash of the handle (unique).
    public var lookup: Data
    /// Keyed hash of the UPN (unique when present).
    public var upnLookup: Data?
    /// The sealed profile.
    public var profileSealed: Data
    /// Year group.
    public var yearGroup: String?
    /// Class.
    public var className: String?
    /// Created.
    public var createdAt: Date
    /// Last changed.
    public var updatedAt: Date

    /// Makes a record.
    public init(
        id: PupilID, lookup: Data, upnLookup: Data?, profileSealed: Data, yearGroup: String?, className: String?,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.lookup = lookup
        self.upnLookup = upnLookup
        self.profileSealed = profileSealed
        self.yearGroup = yearGroup
        self.className = className
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A staff row: the profile sealed, the handle as a keyed hash.
public struct StaffRecord: Codable, Sendable {
    /// Row id (ignored on insert).
    public var id: StaffID
    /// Keyed hash of the handle (unique).
    public var lookup: Data
    /// The sealed profile.
    public var profileSealed: Data
    /// Created.
    public var createdAt: Date

    /// Makes a record.
    public init(id: StaffID, lookup: Data, profileSealed: Data, createdAt: Date) {
        self.id = id
        self.lookup = lookup
        self.profileSealed = profileSealed
        self.createdAt = createdAt
    }
}
