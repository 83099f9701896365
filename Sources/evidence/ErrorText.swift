import Catalogue
import EvidenceKit

/// How the CLI words an ``EvidenceError``: the field as its option, the remedy as a command.
enum ErrorText {
    /// One line (or two) for stderr.
    static func message(_ error: EvidenceError) -> String {
        var text = error.message
        if let field = error.field, !field.isColumn, !text.contains("--\(field.name)") {
            text = "\(option(field)): \(text)"
        }
        if let field = error.field, field.isColumn, !text.contains(field.name) { text += " (the \(field.name) column)" }
        if let remedy = error.remedy { text += " " + phrase(remedy) }
        return text
    }

    /// The option a field is set with.
    static func option(_ field: Field) -> String {
        switch field.name {
        case "moment", "asset", "observation", "time": field.name
        case "passphrase": "the passphrase"
        default: "--\(field.name)"
        }
    }

    /// The way forward, as a command to type.
    static func phrase(_ remedy: Remedy) -> String {
        switch remedy {
        case .listAssets: "List them with `evidence assets`."
        case .listPupils: "List them with `evidence pupils list`."
        case .listStaff: "See `evidence staff list`."
        case .addStaff(let handle): "Add them with `evidence staff add \(handle ?? "HANDLE") --name NAME`."
        case .listMoments: "See `evidence moments ASSET`."
        case .addVocabulary(let kind, let term):
            kind == .response
                ? "See `evidence vocab list`, or add it with `evidence vocab add \"\(term)\"`."
                : "See `evidence vocab list --kind \(kind.rawValue)`, or add it with `evidence vocab add --kind \(kind.rawValue) \"\(term)\"`."
        case .recordConsent(let pupil, let purpose, let from):
            "If the family has agreed, record it with `evidence consent set \(pupil) \(purpose.rawValue) granted --from \(from)`."
        case .renewConsentOrErase(let pupil, let purpose, let from):
            "If the family agrees again, record it with `evidence consent set \(pupil) \(purpose.rawValue) granted --from \(from)`; otherwise the evidence is to be erased."
        case .recordOutcomes(let pupil): "Add them with `evidence pupils edit \(pupil) --outcome …`."
        case .createLibrary(let path):
            "Create one with `evidence init --library \(path)`, or point --library (or EVIDENCE_LIBRARY) at an existing one."
        case .chooseAnotherLibrary: "Choose another folder with --library."
        case .verifyAndRestore: "Run `evidence verify --read-data` and restore the vault from a backup."
        case .useCatOrThumbnail: "Use `evidence cat` or `evidence thumbnail`."
        case .nameTheVideo: "Give the video with --asset."
        case .giveEnd: "Give --to as well."
        case .givePassphrase: "Type it at a terminal, or pass --passphrase-file FILE or EVIDENCE_PASSPHRASE."
        case .sayWhoIsActing: "Say who you are with --as STAFF (or EVIDENCE_STAFF), or name the observer with --observer."
        }
    }
}
