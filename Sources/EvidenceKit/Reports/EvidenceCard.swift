public import Catalogue
public import Foundation

/// One observation as a report shows it: the staff view, with its poster frame when the report may show one.
public struct EvidenceCard: Sendable, Encodable {
    /// The observation, as `find` shows it.
    public var view: ObservationView
    /// The poster frame (an upright JPEG), when there is one and consent lets the report show it.
    public var poster: Data?
    /// Why there is no poster frame, when there is none.
    public var posterLeftOut: String?

    /// The local day, `YYYY-MM-DD`.
    public var day: String { String(view.occurredAt.prefix(10)) }
    /// When in the day.
    public var timeOfDay: TimeOfDay? { TimeOfDay(iso: view.occurredAt) }

    private enum CodingKeys: String, CodingKey { case hasPoster, posterLeftOut, timeOfDay }

    /// The view's keys, then whether a poster frame is embedded (its bytes are in the HTML, not the JSON).
    public func encode(to encoder: any Encoder) throws {
        try view.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(poster != nil, forKey: .hasPoster)
        try c.encode(posterLeftOut, forKey: .posterLeftOut)
        try c.encode(timeOfDay, forKey: .timeOfDay)
    }

    /// What the forms of progress need of it.
    var progressInput: ProgressInput {
        ProgressInput(
            id: view.id, day: day, timeOfDay: timeOfDay, areas: view.areas.compactMap(EngagementArea.init(rawValue:)),
            responses: view.responses, prompt: view.prompt.flatMap(PromptLevel.init(rawValue:)), activity: view.activity,
            setting: view.setting, withStaff: view.withStaff)
    }
}

/// The five areas in the guidance's words (seed 001, 3.1–3.5), for staff and, more plainly, for families.
public enum AreaWords {
    /// What the area shows, as the guidance puts it.
    public static func staff(_ area: EngagementArea) -> String {
        switch area {
        case .exploration:
            "Whether the pupil can build on their initial reaction to a new stimulus or activity, and is interested in and curious about it."
        case .realisation:
            "How the pupil interacts with a new stimulus or activity, or discovers a new aspect of a familiar one, wanting more control of it."
        case .anticipation:
            "How much the pupil predicts, expects or associates a stimulus or activity with an event."
        case .persistence:
            "Whether the pupil can sustain their attention long enough to actively find out more and interact."
        case .initiation:
            "How much, and the different ways, the pupil investigates in order to bring about a desired outcome, spontaneously and independently."
        }
    }

    /// The same, in the plain words of the information for parents (seed 000).
    public static func family(_ area: EngagementArea) -> String {
        switch area {
        case .exploration: "Noticing something new, and being curious about it — looking, reaching out, wanting to find out more."
        case .realisation: "Finding out what something does, and wanting to change it or make it happen again."
        case .anticipation: "Knowing that something familiar is about to start or finish, from what they see, hear or feel."
        case .persistence: "Keeping going with something for long enough to find out more about it."
        case .initiation: "Making something happen on their own, without waiting to be shown."
        }
    }
}
