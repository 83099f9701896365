import Foundation
import Catalogue
import Vault

/// One problem `evidence verify` found.
public struct VerifyProblem: Codable, Sendable, Equatable {
    /// The asset (or, for a stray blob, the id its path names).
    public var asset: String
    /// What is wrong, for a person.
    public var problem: String
}

/// The result of `evidence verify`.
public struct VerifyReport: Codable, Sendable {
    /// Assets checked.
    public var assetsChecked: Int
    /// Whether every chunk was decrypted and authenticated.
    public var readData: Bool
    /// Bytes decrypted (with `readData`).
    public var bytesRead: Int64
    /// Audit entries checked.
    public var auditEntries: Int
    /// What is wrong; empty when all is well.
    public var problems: [VerifyProblem]
}

/// Checks that the catalogue and the vault agree, and that the audit chain is intact.
public struct Verifier: Workflow {
    /// The session it acts in.
    public let session: Session
    /// Works in `session`.
    public init(_ session: Session) { self.session = session }
    /// Checks that catalogue and vault agree (every asset has a well-formed blob of the right size bound to it, and no
    /// blob is unreferenced) and that the audit chain is intact; with `readData`, decrypts and authenticates every
    /// chunk and compares the content hash, like `restic check --read-data`.
    public func verify(readData: Bool, progress: (@Sendable (Int, Int) -> Void)? = nil) throws(EvidenceError) -> VerifyReport {
        let assets: [AssetRecord]
        do {
            assets = try catalogue.read { store in try store.allAssets() }
        } catch {
            throw EvidenceError.from(error)
        }
        let audit = try library.checkAuditChain()
        var problems: [VerifyProblem] = []
        var bytes: Int64 = 0
        for (index, asset) in assets.enumerated() {
            progress?(index, assets.count)
            do {
                let reader = try library.openBlob(asset)
                guard reader.length == asset.byteSize else {
                    problems.append(VerifyProblem(asset: asset.id.rawValue, problem: "stored length differs from the catalogue"))
                    continue
                }
                if readData {
                    let hash = try library.contentHash(ofAsset: asset)
                    bytes += asset.byteSize
                    if Data(hash) != asset.contentHash {
                        problems.append(VerifyProblem(asset: asset.id.rawValue, problem: "content differs from what was ingested"))
                    }
                }
            } catch {
                problems.append(VerifyProblem(asset: asset.id.rawValue, problem: EvidenceError.from(error).message))
            }
        }
        let known = Set(assets.map(\.id.rawValue))
        for file in library.layout.vaultFiles() where !known.contains(file.assetID ?? "") {
            problems.append(
                VerifyProblem(
                    asset: file.assetID ?? file.path,
                    problem: "a vault file that no catalogue entry uses (the next ingest removes it)"
                )
            )
        }
        if let broken = audit.firstBroken {
            problems.append(VerifyProblem(asset: "-", problem: "the audit log was altered at entry \(broken)"))
        }
        if let problem = audit.problem {
            problems.append(VerifyProblem(asset: "-", problem: problem))
        }
        do {
            if let row = try catalogue.firstUnauthenticatedRow() {
                problems.append(
                    VerifyProblem(asset: "-", problem: "the catalogue's \(row) does not authenticate: it was changed outside evidence"))
            }
        } catch {
            throw EvidenceError.from(error)
        }
        // The audit log, read once for both cross-checks (the consent register, and observations that must exist).
        let logged: [AuditRecord]
        do { logged = try catalogue.read { store in try store.auditEntries(pupilID: nil, assetID: nil) } } catch {
            throw EvidenceError.from(error)
        }
        if let problem = try consentMatchesItsAudit(logged) {
            problems.append(VerifyProblem(asset: "-", problem: problem))
        }
        if let problem = try vocabularyProblem() {
            problems.append(VerifyProblem(asset: "-", problem: problem))
        }
        if let problem = try missingObservationProblem(logged) {
            problems.append(VerifyProblem(asset: "-", problem: problem))
        }
        try session.audit("verify", detail: "readData=\(readData) problems=\(problems.count)")
        return VerifyReport(
            assetsChecked: assets.count,
            readData: readData,
            bytesRead: bytes,
            auditEntries: audit.entries,
            problems: problems
        )
    }

    /// Every observation the authenticated audit log says was created (tagged, coded, edited, imported) is still in
    /// the catalogue with its moment: a MAC cannot show a row is gone, the log can.
    private func missingObservationProblem(_ entries: [AuditRecord]) throws(EvidenceError) -> String? {
        var named: [(ObservationID, Int64)] = []
        for entry in entries {
            switch entry.action {
            case "tag", "tag-home", "code-second":
                named += ObservationRanges.ids(in: entry.detail).map { ($0, entry.seq) }
            case "edit":
                // `o12→o13`: the newer version was created.
                if let newer = entry.detail.split(separator: "→").last { named += ObservationRanges.ids(in: String(newer)).map { ($0, entry.seq) } }
            case "import-annotations":
                if let ids = entry.detail.split(separator: " ").first(where: { $0.hasPrefix("ids=") }) {
                    named += ObservationRanges.ids(in: String(ids.dropFirst(4))).map { ($0, entry.seq) }
                }
            default: continue
            }
        }
        guard !named.isEmpty else { return nil }
        let existing: Set<ObservationID>
        do { existing = try catalogue.read { store in try store.existingObservationIDs(named.map(\.0)) } } catch {
            throw EvidenceError.from(error)
        }
        let missing = named.filter { !existing.contains($0.0) }
        guard let first = missing.first else { return nil }
        let more = missing.count > 1 ? " (and \(missing.count - 1) more)" : ""
        return "observation \(first.0), recorded in audit entry \(first.1), is missing from the catalogue, or its moment is\(more): rows were deleted outside evidence"
    }

    /// Every sealed term opens against its token, and every token an observation stores is in the vocabulary (a
    /// deleted term would otherwise leave observations whose responses cannot be read).
    private func vocabularyProblem() throws(EvidenceError) -> String? {
        let vocabulary: SchoolVocabulary
        do { vocabulary = try library.vocabulary(.response) } catch {
            guard error.category == .integrity else { throw error }
            return "the catalogue's vocabulary row \(error.value ?? "?") does not open: it was changed outside evidence"
        }
        let inUse: [String]
        do { inUse = try catalogue.read { store in try store.responsesInUse() } } catch { throw EvidenceError.from(error) }
        for stored in inUse {
            do { _ = try vocabulary.term(stored) } catch {
                return "observations use the response \(stored), which is not in the vocabulary: it was deleted outside evidence"
            }
        }
        return nil
    }

    /// Every consent decision is audited as it is recorded (`consent-set`, naming the pupil, the purpose, the
    /// decision and the day), so the register must hold exactly the decisions the authenticated audit log lists: a
    /// deleted, flipped or forged row is found even when the rest of its row checks.
    private func consentMatchesItsAudit(_ entries: [AuditRecord]) throws(EvidenceError) -> String? {
        do {
            let records = try catalogue.read { store in try store.consentRecords(pupilID: nil) }
            // A merged duplicate's decisions are now the kept pupil's (`pupil-merge` entries say so).
            let aliases = PupilAliases(entries)
            var audited: [String: Int] = [:]
            for entry in entries where entry.action == "consent-set" {
                audited["\(entry.pupilID.map(aliases.current)?.rawValue ?? 0) \(entry.detail)", default: 0] += 1
            }
            var stored: [String: Int] = [:]
            for record in records {
                let detail = "\(record.purpose.rawValue)=\(record.decision.rawValue) from \(record.effectiveFrom)"
                stored["\(record.pupilID.rawValue) \(detail)", default: 0] += 1
            }
            guard audited != stored else { return nil }
            let missing = audited.filter { stored[$0.key, default: 0] < $0.value }.count
            let unaudited = stored.filter { audited[$0.key, default: 0] < $0.value }.count
            return "the consent register does not match its audit log (\(missing) audited decision(s) missing or changed, \(unaudited) not audited): consent rows were deleted, changed or added outside evidence"
        } catch {
            throw EvidenceError.from(error)
        }
    }
}

