import Foundation

/// Takes other children's names out of free text that leaves the school (a note may say "with Leo"): every word of
/// every other pupil's name, preferred name and handle, matched whole and without regard to case, becomes "a friend".
struct NameRedactor {
    private let words: [String]

    init(otherPupils: [Pupil]) {
        var words: Set<String> = []
        for pupil in otherPupils {
            for text in [pupil.name, pupil.preferredName ?? "", pupil.handle] {
                for word in text.split(whereSeparator: { $0 == " " || $0 == "-" }) where word.count >= 2 {
                    words.insert(word.lowercased())
                }
            }
            words.insert(pupil.handle.lowercased())
        }
        // Longest first, so a handle (`leo-m`) goes before its parts.
        self.words = words.sorted { ($0.count, $0) > ($1.count, $1) }
    }

    /// `text` with every other child's name replaced.
    func redact(_ text: String) -> String {
        var result = text
        for word in words {
            let pattern = "(?<![\\p{L}\\p{N}])" + NSRegularExpression.escapedPattern(for: word) + "(?![\\p{L}\\p{N}])"
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { continue }
            result = regex.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "a friend")
        }
        return result
    }
}

/// The parent report's plain words for what staff tagged.
enum FamilyWords {
    static func moment(
        _ view: ObservationView, forename: String, staffNames: [String: String], redactor: NameRedactor, poster: Data?
    ) -> FamilyMoment {
        let responses = view.responses.map { $0.replacingOccurrences(of: "-", with: " ") }
        var what = responses.isEmpty ? "\(forename) took part" : "\(forename) showed \(list(responses))"
        if let prompt = view.prompt.flatMap(help) { what += ", \(prompt)" }
        var context: [String] = []
        if let activity = view.activity { context.append("during \(activity)") }
        if let setting = view.setting { context.append("in the \(setting)") }
        let adults = view.withStaff.compactMap { staffNames[$0] }
        if !adults.isEmpty { context.append("with \(list(adults))") }
        return FamilyMoment(
            observation: view.id, date: longDate(String(view.occurredAt.prefix(10))), what: what + ".",
            context: redactor.redact(context.joined(separator: " ").capitalisedFirst),
            note: view.note.map(redactor.redact), poster: poster)
    }

    /// A prompt level in plain words (nil when the pupil needed none worth saying).
    static func help(_ prompt: String) -> String? {
        switch prompt {
        case "independent": "on their own"
        case "gestural": "with a gesture to help"
        case "verbal": "with words to help"
        case "modelled": "after being shown"
        case "physical": "with hands-on help"
        default: nil
        }
    }

    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    static func longDate(_ day: String) -> String {
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
            "December",
        ]
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]) else { return day }
        return "\(parts[2]) \(months[parts[1] - 1]) \(parts[0])"
    }
}

extension String {
    /// The string with its first letter in capitals.
    var capitalisedFirst: String { prefix(1).uppercased() + dropFirst() }
}
