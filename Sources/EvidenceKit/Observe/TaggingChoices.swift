public import Catalogue
import Foundation

/// What a tagging front end offers for one asset: who can be tagged (and why not), the vocabularies and the closed
/// sets, all read from the library so a page never keeps a second copy of the rules.
public struct TaggingChoices: Sendable, Encodable {
    /// A pupil as a chip: tagged by handle, shown by name.
    public struct PupilChoice: Sendable, Encodable {
        /// The handle that tags them.
        public var handle: String
        /// The name staff know them by.
        public var name: String
        /// Whether evidence from this asset's day may be tagged to them.
        public var canTag: Bool
        /// Why not, in a sentence (it names consent).
        public var reason: String?
        /// Their EHC outcomes, numbered from 1 in this order.
        public var outcomes: [String]
    }

    /// Every pupil, by handle.
    public var pupils: [PupilChoice]
    /// The response vocabulary, built in and the school's own.
    public var responses: [String]
    /// The state vocabulary.
    public var states: [String]
    /// Staff handles (for "with").
    public var staff: [String]
    /// `intentional`, `reflexive`, `unsure`.
    public var intents: [String]
    /// The prompt levels, least help first.
    public var prompts: [String]
}

extension Tagger {
    /// The choices for tagging `asset` on the day it was captured.
    public func choices(for asset: AssetRecord) throws(EvidenceError) -> TaggingChoices {
        let context = try TaggingContext.load(session)
        let day = CalendarDate.day(of: asset.capturedAt, in: timeZone)
        let pupils = context.directory.pupils.map { pupil in
            let allowed = context.capturePermitted(pupil.id, day)
            return TaggingChoices.PupilChoice(
                handle: pupil.handle, name: pupil.displayName, canTag: allowed,
                reason: allowed ? nil : "No capture consent on \(day), so evidence of them cannot be tagged.",
                outcomes: pupil.outcomes)
        }
        return TaggingChoices(
            pupils: pupils, responses: context.vocabulary.terms, states: context.states.terms,
            staff: context.staff.map(\.handle), intents: Intent.allCases.map(\.rawValue),
            prompts: PromptLevel.allCases.map(\.rawValue))
    }
}
