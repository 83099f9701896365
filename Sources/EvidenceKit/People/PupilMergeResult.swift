import Foundation
internal import Catalogue

/// What `pupils merge` did.
public struct PupilMergeResult: Sendable, Codable, Equatable {
    /// The duplicate's handle (no longer on the roster).
    public var merged: String
    /// The handle of the pupil kept.
    public var into: String
    /// Observation rows moved (every version).
    public var movedObservations: Int
    /// Appearances moved.
    public var movedAppearances: Int
    /// Consent decisions moved.
    public var movedConsentDecisions: Int
}

extension Session {
    /// Deletes a person added by mistake, in one transaction with its audit entry; refused, naming what refers to
    /// them, while anything does (erasure of evidence is another workflow).
    func removeUnreferenced(
        _ handle: String, field: Field, references: (any CatalogueTransaction) throws -> [String],
        remove: (any CatalogueTransaction) throws -> Void
    ) throws(EvidenceError) {
        defer { library.forgetPeople() }
        do {
            try library.catalogue.write { store in
                let uses = try references(store)
                guard uses.isEmpty else {
                    throw EvidenceError(
                        .usage, "\(handle) cannot be removed: \(uses.joined(separator: ", ")) refer to them.", field: field,
                        value: handle)
                }
                try remove(store)
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }
}

/// Which pupil ids earlier audit entries now stand for, from the `pupil-merge` entries: a merged duplicate's id maps
/// to the kept pupil's (following chains of merges).
struct PupilAliases {
    private var kept: [PupilID: PupilID] = [:]

    /// Replays `entries` (oldest first) up to the end.
    init(_ entries: [AuditRecord] = []) {
        for entry in entries { note(entry) }
    }

    /// Takes in one entry (a merge, or nothing to note).
    mutating func note(_ entry: AuditRecord) {
        guard entry.action == Roster.mergeAction, let from = entry.pupilID,
            let text = entry.detail.split(separator: " ").first, text.hasPrefix(Roster.mergeInto),
            let into = Int64(text.dropFirst(Roster.mergeInto.count))
        else { return }
        kept[from] = PupilID(into)
    }

    /// The pupil an id stands for now.
    func current(_ id: PupilID) -> PupilID {
        var id = id
        var seen: Set<PupilID> = []
        while let next = kept[id], seen.insert(id).inserted { id = next }
        return id
    }

    /// Every id that now stands for `id` (itself and the duplicates merged into it).
    func all(standingFor id: PupilID) -> [PupilID] {
        [id] + kept.keys.filter { $0 != id && current($0) == id }.sorted { $0.rawValue < $1.rawValue }
    }
}
