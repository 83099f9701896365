import ArgumentParser
import Catalogue
import EvidenceKit
import Foundation

/// What a teacher observed, shared by `tag` and `edit`.
struct ObservationOptions: ParsableArguments {
    @Option(help: "Engagement area(s): exploration, realisation, anticipation, persistence, initiation (repeat or comma-separate).")
    var area: [String] = []
    @Option(help: "Observed response(s) from the vocabulary (`evidence vocab list`), e.g. stilling, reaching.")
    var response: [String] = []
    @Option(help: "intentional, reflexive or unsure.") var intent: String?
    @Option(help: "independent, gestural, verbal, modelled or physical.") var prompt: String?
    @Option(help: "The cue or stimulus: visual, auditory, tactile, olfactory, gustatory, proprioceptive or none (repeat or comma-separate).")
    var cue: [String] = []
    @Option(help: "Whether the cue was new or familiar to the pupil.") var cueNovelty: String?
    @Option(help: "The support: person (graded by --prompt), technology, equipment or none (repeat or comma-separate).")
    var support: [String] = []
    @Option(help: "Reinforcement: natural, artificial or none.") var reinforcement: String?
    @Option(help: "The pupil's state, e.g. alert, drowsy, after-seizure (`evidence vocab list --kind state`; stored sealed).")
    var state: String?
    @Option(help: "Context: the activity, e.g. \"sensory story\".") var activity: String?
    @Option(help: "Context: the setting, e.g. \"sensory room\".") var setting: String?
    @Option(help: "Context: equipment, e.g. \"big mack switch\".") var equipment: String?
    @Option(help: "Staff working with the pupil (handles; repeat or comma-separate).") var withStaff: [String] = []
    @Option(help: "EHC plan outcome number (see `evidence pupils show`).") var outcome: Int?
    @Option(help: "A note (stored sealed).") var note: String?

    /// The observed fields as given (lists comma-split).
    var fields: ObservationFields {
        var fields = ObservationFields()
        fields.areas = splitList(area)
        fields.responses = splitList(response)
        fields.intent = intent
        fields.prompt = prompt
        fields.cues = splitList(cue)
        fields.cueNovelty = cueNovelty
        fields.supports = splitList(support)
        fields.reinforcement = reinforcement
        fields.state = state
        fields.activity = activity
        fields.setting = setting
        fields.equipment = equipment
        fields.withStaff = splitList(withStaff)
        fields.outcome = outcome
        fields.note = note
        return fields
    }

    /// The fields that were given on the command line (what `edit` changes).
    var given: Set<ObservationFields.Key> {
        var keys: Set<ObservationFields.Key> = []
        if !area.isEmpty { keys.insert(.areas) }
        if !response.isEmpty { keys.insert(.responses) }
        if intent != nil { keys.insert(.intent) }
        if prompt != nil { keys.insert(.prompt) }
        if !cue.isEmpty { keys.insert(.cues) }
        if cueNovelty != nil { keys.insert(.cueNovelty) }
        if !support.isEmpty { keys.insert(.supports) }
        if reinforcement != nil { keys.insert(.reinforcement) }
        if state != nil { keys.insert(.state) }
        if activity != nil { keys.insert(.activity) }
        if setting != nil { keys.insert(.setting) }
        if equipment != nil { keys.insert(.equipment) }
        if !withStaff.isEmpty { keys.insert(.withStaff) }
        if outcome != nil { keys.insert(.outcome) }
        if note != nil { keys.insert(.note) }
        return keys
    }
}

/// Reads `--from`/`--to` as milliseconds.
func parseRange(from: String?, to: String?) throws -> (Int64?, Int64?) {
    (try from.map { try TimeCode.milliseconds($0, field: Field("from")) }, try to.map { try TimeCode.milliseconds($0, field: Field("to")) })
}
