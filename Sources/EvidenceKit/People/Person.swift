public import Catalogue
import Foundation

/// A pupil on the roster. Everything but the year group and class is sealed in the catalogue.
public struct Pupil: Sendable, Codable, Equatable {
    /// Catalogue row id (opaque; used in the audit log instead of a name).
    public var id: PupilID
    /// Short handle people type, e.g. `amira-k`.
    public var handle: String
    /// Full legal name.
    public var name: String
    /// The surname, when the roster gave it apart (for the DfE return); else the name's last word is taken.
    public var surname: String?
    /// The name the pupil is known by, if different.
    public var preferredName: String?
    /// Unique Pupil Number.
    public var upn: String?
    /// Date of birth, `YYYY-MM-DD`.
    public var dateOfBirth: String?
    /// Year group, e.g. `Year 4`.
    public var yearGroup: String?
    /// Class name.
    public var className: String?
    /// SEND primary area of need.
    public var sendNeed: String?
    /// EHC plan outcomes, numbered from 1 in this order.
    public var outcomes: [String]
    /// Whether the school assesses the pupil with the engagement model (reported in the DfE return at the end of
    /// key stage 2).
    public var engagementModel: Bool = false

    /// The name to show: preferred name and surname when there is one.
    public var displayName: String { preferredName.map { "\($0) (\(name))" } ?? name }

    /// Forename(s) and surname: the name split at its last space ("Amira Khan" → Amira, Khan), as the roster's
    /// Forename and Surname columns are joined when imported.
    public var nameParts: (forename: String, surname: String) {
        if let surname, name.hasSuffix(" " + surname) { return (String(name.dropLast(surname.count + 1)), surname) }
        let words = name.split(separator: " ")
        guard words.count > 1 else { return (name, name) }
        return (words.dropLast().joined(separator: " "), String(words.last!))
    }
}

/// What `pupils add` and a roster row give; the handle is made from the name when absent.
public struct PupilDraft: Sendable {
    /// Short handle; made from the name when nil.
    public var handle: String?
    /// Full legal name.
    public var name: String
    /// The surname, when given apart from the name.
    public var surname: String?
    /// The name the pupil is known by.
    public var preferredName: String?
    /// Unique Pupil Number.
    public var upn: String?
    /// Date of birth, `YYYY-MM-DD`.
    public var dateOfBirth: String?
    /// Year group.
    public var yearGroup: String?
    /// Class.
    public var className: String?
    /// SEND primary area of need.
    public var sendNeed: String?
    /// EHC plan outcomes, in plan order.
    public var outcomes: [String]

    /// Makes a draft.
    public init(
        handle: String? = nil, name: String, preferredName: String? = nil, upn: String? = nil,
        dateOfBirth: String? = nil, yearGroup: String? = nil, className: String? = nil, sendNeed: String? = nil,
        outcomes: [String] = [], surname: String? = nil
    ) {
        self.handle = handle
        self.name = name
        self.surname = surname
        self.preferredName = preferredName
        self.upn = upn
        self.dateOfBirth = dateOfBirth
        self.yearGroup = yearGroup
        self.className = className
        self.sendNeed = sendNeed
        self.outcomes = outcomes
    }
}

/// A member of staff (observer, key adult).
public struct StaffMember: Sendable, Codable, Equatable {
    /// Catalogue row id.
    public var id: StaffID
    /// Short handle, e.g. `ms-patel`.
    public var handle: String
    /// Full name.
    public var name: String
    /// Role, e.g. `teacher`, `teaching assistant`.
    public var role: String?
}

/// The sealed part of a pupil row.
struct PupilProfile: Codable {
    var handle: String
    var name: String
    var preferredName: String?
    var upn: String?
    var dateOfBirth: String?
    var sendNeed: String?
    var outcomes: [String]
    var engagementModel: Bool?
    var surname: String?
}

/// The sealed part of a staff row.
struct StaffProfile: Codable {
    var handle: String
    var name: String
    var role: String?
}

/// Handles: lower-case letters, digits and hyphens, 2 to 40 characters.
enum Handle {
    static func validate(_ text: String, what: String, field: Field = Field("handle")) throws(EvidenceError) -> String {
        let handle = text.lowercased()
        guard (2...40).contains(handle.count),
            handle.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }),
            handle.first?.isLetter == true
        else {
            throw EvidenceError(
                .usage,
                "\"\(text)\" is not a usable \(what) handle: use 2–40 lower-case letters, digits and hyphens, starting with a letter (e.g. amira-k).",
                field: field, value: text)
        }
        return handle
    }

    /// `Amira Khan` → `amira-k`; the caller adds a number if it is taken.
    static func suggest(name: String, preferred: String?) -> String {
        let words = name.split(separator: " ").map { $0.folding(options: [.diacriticInsensitive], locale: nil).lowercased() }
        let first = (preferred?.split(separator: " ").first.map { $0.lowercased() } ?? words.first ?? "pupil")
            .filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
        let initial = words.count > 1 ? (words.last ?? "").filter { $0.isASCII && $0.isLetter }.prefix(1) : ""
        let base = initial.isEmpty ? first : "\(first)-\(initial)"
        return base.isEmpty || base.first?.isLetter != true ? "pupil" : base
    }
}

/// Every pupil, decrypted once, for resolving what people type.
public struct PupilDirectory: Sendable {
    /// All pupils, by handle.
    public let pupils: [Pupil]
    private let byHandle: [String: Pupil]
    private let byID: [PupilID: Pupil]

    init(_ pupils: [Pupil]) {
        self.pupils = pupils.sorted { $0.handle < $1.handle }
        byHandle = Dictionary(pupils.map { ($0.handle, $0) }, uniquingKeysWith: { a, _ in a })
        byID = Dictionary(pupils.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The pupil with this row id.
    public func pupil(id: PupilID) -> Pupil? { byID[id] }

    /// The pupil with exactly this handle.
    public func pupil(handle: String) -> Pupil? { byHandle[handle] }

    /// A pupil by exact handle, or by an unambiguous start of a handle, name or preferred name.
    public func resolve(_ text: String, field: Field = Field("pupil")) throws(EvidenceError) -> Pupil {
        let needle = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let exact = byHandle[needle] { return exact }
        guard !needle.isEmpty else { throw EvidenceError(.usage, "A pupil handle or name is needed.", field: field) }
        let matches = pupils.filter { pupil in
            pupil.handle.hasPrefix(needle) || pupil.name.lowercased().hasPrefix(needle)
                || (pupil.preferredName?.lowercased().hasPrefix(needle) ?? false)
                || pupil.name.lowercased().split(separator: " ").contains { $0.hasPrefix(needle) && needle.count >= 3 }
        }
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty {
            throw EvidenceError(
                .usage, "No pupil matches \"\(text)\".", field: field, value: text, remedy: .listPupils)
        }
        let candidates = matches.prefix(10).map { "\($0.handle) (\($0.displayName))" }.joined(separator: ", ")
        throw EvidenceError(
            .usage, "\"\(text)\" matches several pupils: \(candidates). Use the handle.", field: field, value: text)
    }
}
