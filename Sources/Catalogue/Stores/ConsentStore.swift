/// The append-only consent register.
public protocol ConsentStore {
    /// Adds a decision; returns its register order.
    func insertConsent(_ record: ConsentRecord) throws -> Int64
    /// The register (for one pupil, or everyone), in register order.
    func consentRecords(pupilID: PupilID?) throws -> [ConsentRecord]
}
