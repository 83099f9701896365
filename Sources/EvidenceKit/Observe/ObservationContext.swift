import Catalogue
import Foundation
import Vault

/// An observation's free-text context (activity, setting, equipment) and the pupil's state, sealed together in the
/// catalogue: teachers write "hydrotherapy after seizure" there. The activity and setting also get keyed lookup tags, so `find
/// --activity` and `--setting` filter on them without their text being stored.
struct ObservationContext: Codable, Equatable {
    var activity: String?
    var setting: String?
    var equipment: String?
    /// The pupil's state (alert, drowsy, after-seizure…): health information, so sealed with the rest.
    var state: String?

    /// The sealed context and the activity's and setting's tags; all nil when there is no context.
    static func seal(
        activity: String?, setting: String?, equipment: String?, state: String? = nil, master: MasterKey
    ) throws -> (sealed: Data?, activityTag: Data?, settingTag: Data?) {
        guard activity != nil || setting != nil || equipment != nil || state != nil else { return (nil, nil, nil) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var json = try encoder.encode(
            ObservationContext(activity: activity, setting: setting, equipment: equipment, state: state))
        defer { json.resetBytes(in: 0..<json.count) }
        return (
            try master.seal(String(decoding: json, as: UTF8.self), context: "observation.context"),
            activity.map { tag(activity: $0, master: master) }, setting.map { tag(setting: $0, master: master) }
        )
    }

    /// The context of a stored observation, opened in memory.
    static func open(_ sealed: Data?, master: MasterKey) throws -> ObservationContext {
        guard let sealed else { return ObservationContext() }
        let text = try master.open(sealed, context: "observation.context")
        return try JSONDecoder().decode(ObservationContext.self, from: Data(text.utf8))
    }

    /// The lookup tag of an activity as stored (lower case, trimmed).
    static func tag(activity: String, master: MasterKey) -> Data {
        master.lookupTag(activity, context: "observation.activity")
    }

    /// The lookup tag of a setting as stored.
    static func tag(setting: String, master: MasterKey) -> Data {
        master.lookupTag(setting, context: "observation.setting")
    }
}
