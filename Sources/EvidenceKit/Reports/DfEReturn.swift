public import Foundation

/// The end of key stage return of pupils assessed with the engagement model: one row per pupil, the teacher
/// assessment outcome code `EM` in reading, writing and mathematics, for import into the school's MIS (which sends
/// the STA a CTF file) or the STA's template. See STA, "Key stage 2: submitting teacher assessment data"
/// (gov.uk/government/publications/key-stage-2-submitting-teacher-assessment-data) and its technical specification.
public struct DfEReturn: Sendable, Encodable {
    /// The key stage (2, or 1 for schools that still return it).
    public var keyStage: Int
    /// The school year.
    public var covers: ReportPeriod
    /// The rows, by surname then forename.
    public var rows: [DfEReturnRow]

    /// The CSV: `UPN,Surname,Forename,DOB,Reading,Writing,Maths`, DOB as DD/MM/YYYY.
    public var csv: String {
        (["UPN,Surname,Forename,DOB,Reading,Writing,Maths"]
            + rows.map { row in
                CSVText.line([row.upn, row.surname, row.forename, row.dateOfBirth, row.reading, row.writing, row.maths])
            }).joined(separator: "\r\n") + "\r\n"
    }
}

/// One pupil in the return.
public struct DfEReturnRow: Sendable, Codable, Equatable {
    /// Unique Pupil Number.
    public var upn: String
    /// Surname.
    public var surname: String
    /// Forename(s).
    public var forename: String
    /// Date of birth, DD/MM/YYYY.
    public var dateOfBirth: String
    /// Teacher assessment outcome code.
    public var reading = "EM"
    /// Teacher assessment outcome code.
    public var writing = "EM"
    /// Teacher assessment outcome code.
    public var maths = "EM"
}

/// Makes the DfE return.
public struct DfEReturnMaker: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }

    /// The pupils in the final year of the key stage (year 6, or year 2 for key stage 1) flagged as assessed with
    /// the engagement model. A pupil without a UPN or date of birth is an error listing everyone missing one.
    /// Audited once per pupil listed.
    public func make(year: Int, keyStage: Int = 2) throws(EvidenceError) -> DfEReturn {
        guard keyStage == 1 || keyStage == 2 else {
            throw EvidenceError(.usage, "The key stage is 1 or 2.", field: Field("key-stage"), value: String(keyStage))
        }
        let period = try ReportPeriod.academicYear(ending: year)
        let finalYear = keyStage == 2 ? 6 : 2
        let pupils = try library.pupilDirectory().pupils.filter { pupil in
            pupil.engagementModel && Self.yearNumber(pupil.yearGroup) == finalYear
        }
        let missing = pupils.filter { ($0.upn ?? "").isEmpty || $0.dateOfBirth == nil }
        guard missing.isEmpty else {
            throw EvidenceError(
                .usage,
                "The return needs a UPN and a date of birth for every pupil; missing for: \(missing.map(\.handle).sorted().joined(separator: ", ")).",
                field: Field("upn"), value: missing.map(\.handle).sorted().joined(separator: ","), remedy: .listPupils)
        }
        let rows = pupils.map { pupil in
            let (forename, surname) = pupil.nameParts
            let dob = (pupil.dateOfBirth ?? "").split(separator: "-")
            return DfEReturnRow(
                upn: pupil.upn ?? "", surname: surname, forename: forename,
                dateOfBirth: dob.count == 3 ? "\(dob[2])/\(dob[1])/\(dob[0])" : "")
        }.sorted { ($0.surname.lowercased(), $0.forename.lowercased()) < ($1.surname.lowercased(), $1.forename.lowercased()) }
        try session.auditReport(
            "dfe-return", shows: Set(pupils.map(\.id)), detail: "year=\(period.name) ks=\(keyStage) pupils=\(rows.count)", reason: nil)
        return DfEReturn(keyStage: keyStage, covers: period, rows: rows)
    }

    /// `6` from "6", "Year 6", "Y6".
    static func yearNumber(_ text: String?) -> Int? {
        guard let text else { return nil }
        return Int(text.filter(\.isNumber))
    }
}
