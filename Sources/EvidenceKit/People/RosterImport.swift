import Foundation
internal import Catalogue

/// What a roster import did.
public struct RosterImportReport: Sendable, Codable {
    /// Pupils added.
    public var added: [String] = []
    /// Pupils whose details changed (matched by UPN, else handle).
    public var updated: [String] = []
    /// Rows that matched a pupil and changed nothing.
    public var unchanged = 0
    /// Whether this was a dry run (nothing written).
    public var dryRun = false
}

/// Reads a school roster CSV (an MIS export): one pupil per row, columns named in a header row.
///
/// Recognised headers (case and spacing ignored): `name` (or `full name`, `legal name`, or `forename` + `surname`),
/// `preferred name` (`known as`), `upn`, `date of birth` (`dob`), `year group` (`year`), `class`,
/// `send need` (`primary need`, `area of need`), `outcomes` (separated by `;` or `|`), or `outcome 1`, `outcome 2`…,
/// and `handle`.
enum RosterCSV {
    static func read(path: String) throws(EvidenceError) -> [(line: Int, draft: PupilDraft)] {
        let table = try CSVTable(try TextFile.read(path, what: "roster"), path: path)
        let header = table.header.map { $0.lowercased().filter { $0.isLetter || $0.isNumber } }
        func column(_ names: String...) -> Int? { header.firstIndex { names.contains($0) } }
        let name = column("name", "fullname", "legalname", "pupilname")
        let forename = column("forename", "firstname", "legalforename")
        let surname = column("surname", "lastname", "legalsurname")
        guard name != nil || (forename != nil && surname != nil) else {
            throw EvidenceError(
                .usage,
                "\(path), line 1: no name column. The header needs `name` (or `forename` and `surname`); it has: \(table.header.joined(separator: ", "))."
            )
        }
        let preferred = column("preferredname", "knownas", "preferredforename")
        let upn = column("upn", "uniquepupilnumber")
        let dob = column("dateofbirth", "dob", "birthdate")
        let year = column("yeargroup", "year", "ncyear")
        let className = column("class", "classname", "form", "registrationgroup")
        let need = column("sendneed", "primaryneed", "areaofneed", "sendprimaryneed", "sendprimaryareaofneed")
        let outcomes = column("outcomes", "ehcoutcomes", "ehcplanoutcomes")
        let numberedOutcomes = header.indices.filter { header[$0].hasPrefix("outcome") && header[$0].dropFirst(7).allSatisfy(\.isNumber) && header[$0].count > 7 }
        let handle = column("handle")

        var drafts: [(Int, PupilDraft)] = []
        try table.forEachRow { (line, row) throws(EvidenceError) in
            func field(_ index: Int?) -> String? { row[index] }
            let fullName =
                field(name) ?? [field(forename), field(surname)].compactMap { $0 }.joined(separator: " ")
            guard !fullName.isEmpty else {
                throw EvidenceError(.usage, "\(path), line \(line): the name is empty.")
            }
            var dateOfBirth = field(dob)
            if let text = dateOfBirth {
                dateOfBirth = try normaliseDate(text, path: path, line: line)
            }
            var outcomeTexts = field(outcomes).map {
                $0.split(whereSeparator: { $0 == ";" || $0 == "|" }).map { $0.trimmingCharacters(in: .whitespaces) }
            } ?? []
            outcomeTexts += numberedOutcomes.compactMap { field($0) }
            drafts.append(
                (
                    line,
                    PupilDraft(
                        handle: field(handle), name: fullName, preferredName: field(preferred), upn: field(upn),
                        dateOfBirth: dateOfBirth, yearGroup: field(year), className: field(className),
                        sendNeed: field(need), outcomes: outcomeTexts, surname: field(name) == nil ? field(surname) : nil
                    )
                )
            )
        }
        return drafts
    }

    /// `2016-03-09` or the UK's `09/03/2016`.
    static func normaliseDate(_ text: String, path: String, line: Int) throws(EvidenceError) -> String {
        let uk = text.split(separator: "/")
        let iso = uk.count == 3 ? "\(uk[2])-\(uk[1].count == 1 ? "0" : "")\(uk[1])-\(uk[0].count == 1 ? "0" : "")\(uk[0])" : text
        do {
            return try CalendarDate.parse(iso, field: .column("date of birth"))
        } catch {
            throw EvidenceError(.usage, "\(path), line \(line): date of birth \"\(text)\" is not YYYY-MM-DD or DD/MM/YYYY.")
        }
    }
}
