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
        try session.audit("verify", detail: "readData=\(readData) problems=\(problems.count)")
        return VerifyReport(
            assetsChecked: assets.count,
            readData: readData,
            bytesRead: bytes,
            auditEntries: audit.entries,
            problems: problems
        )
    }
}
