public import EvidenceKit
import Catalogue
public import Foundation

/// Reports as HTML documents that open offline: swift-mustache templates (escaped by default), one inline
/// stylesheet, SVG drawn here, poster frames embedded as `data:` URIs — nothing a browser would fetch.
public enum ReportHTML {
    /// The pupil progress report.
    public static func pupil(_ report: PupilReport) throws(DocumentError) -> String {
        var days: [EngagementArea: [String]] = [:]
        for section in report.areas { days[section.area] = section.cards.map(\.day) }
        let count = Set(report.areas.flatMap { $0.cards.map(\.view.id) }).count
        let areas: [[String: Any]] = report.areas.map { section in
            compact([
                "area": section.area.rawValue, "title": title(section.area), "about": section.about,
                "judgement": section.judgement.map(judgement), "indicators": section.indicators.map(indicator),
                "hasIndicators": !section.indicators.isEmpty, "cards": section.cards.map(card),
                "hasCards": !section.cards.isEmpty,
                "byContext": section.byContext.map { ["count": $0, "shade": $0 == 0 ? "none" : $0 < 3 ? "some" : "many"] },
            ])
        }
        return try ReportTemplates.render(
            "pupil",
            [
                "title": "\(report.name): progress, \(report.covers.words)", "name": report.name,
                "periodWords": report.covers.words.capitalisedFirst, "first": report.covers.first, "last": report.covers.last,
                "madeOn": report.madeOn, "madeBy": report.madeBy, "count": count, "plural": count == 1 ? "" : "s",
                "contexts": report.contexts, "areas": areas, "warnings": report.warnings,
                "timeline": SVGTimeline.render(first: report.covers.first, last: report.covers.last, days: days),
            ])
    }

    /// The EHC annual review report.
    public static func ehc(_ report: EHCReport) throws(DocumentError) -> String {
        let outcomes: [[String: Any]] = report.outcomes.map { section in
            compact([
                "number": section.number, "text": section.text, "count": section.count, "plural": section.count == 1 ? "" : "s",
                "earliest": section.earliest.map(card), "latest": section.latest.map(card),
                "hasCards": section.earliest != nil, "indicators": section.indicators.map(indicator),
                "hasIndicators": !section.indicators.isEmpty,
            ])
        }
        return try ReportTemplates.render(
            "ehc",
            [
                "title": "\(report.name): EHC annual review evidence", "name": report.name,
                "periodWords": report.covers.words.capitalisedFirst, "first": report.covers.first, "last": report.covers.last,
                "madeOn": report.madeOn, "madeBy": report.madeBy, "outcomes": outcomes, "warnings": report.warnings,
                "judgements": report.judgements.map { view -> [String: Any] in
                    var item = judgement(view)
                    item["areaTitle"] = title(view.area)
                    return item
                },
            ])
    }

    /// The end-of-year report for the family.
    public static func parent(_ report: ParentReport) throws(DocumentError) -> String {
        let areas: [[String: Any]] = report.areas.map { section in
            [
                "title": title(section.area), "about": section.about, "hasMoments": !section.moments.isEmpty,
                "moments": section.moments.map { moment -> [String: Any] in
                    compact([
                        "date": moment.date, "what": moment.what, "context": moment.context, "note": moment.note,
                        "poster": moment.poster.map(dataURI),
                    ])
                },
            ]
        }
        return try ReportTemplates.render(
            "parent",
            [
                "title": "\(report.forename)'s year, \(report.covers.words)", "forename": report.forename,
                "periodWords": report.covers.words.capitalisedFirst, "madeOn": report.madeOn, "areas": areas,
            ])
    }

    /// The moderation report.
    public static func moderation(_ report: ModerationReport) throws(DocumentError) -> String {
        let units: [[String: Any]] = report.units.map { unit in
            [
                "pupil": unit.pupil, "date": unit.date, "asset": String((unit.asset?.rawValue ?? "").prefix(8)), "range": unit.range,
                "disagree": unit.disagree,
                "codings": unit.codings.map { coding -> [String: Any] in
                    [
                        "observer": coding.observer, "coding": coding.coding.rawValue, "areas": coding.areas.joined(separator: ", "),
                        "responses": coding.responses.joined(separator: ", "), "prompt": coding.prompt ?? "",
                    ]
                },
            ]
        }
        let agreement: [[String: Any]] = report.agreement.map { row in
            [
                "title": title(row.area), "alpha": row.alpha.map { String(format: "%.2f", $0) } ?? "not defined",
                "interval": row.low.flatMap { low in row.high.map { String(format: "%.2f to %.2f", low, $0) } } ?? "—",
                "percent": row.percentAgreement.map { String(format: "%.0f %%", $0 * 100) } ?? "—", "units": row.unitCount,
                "coders": row.coderCount,
            ]
        }
        return try ReportTemplates.render(
            "moderation",
            [
                "title": "Moderation, \(report.covers.words)", "periodWords": report.covers.words.capitalisedFirst,
                "className": report.className ?? "", "madeOn": report.madeOn, "madeBy": report.madeBy,
                "unitCount": report.units.count, "plural": report.units.count == 1 ? "" : "s", "units": units,
                "agreement": agreement, "warnings": report.warnings,
            ])
    }

    // MARK: - Pieces

    static func title(_ area: EngagementArea) -> String { area.rawValue.capitalized }

    static func card(_ card: EvidenceCard) -> [String: Any] {
        let view = card.view
        var help: [String] = []
        if let prompt = view.prompt { help.append("\(prompt) prompt") }
        // "person" is graded by the prompt; "none" reads as words, not as a kind.
        help += view.supports.filter { $0 != "person" }.map { $0 == "none" ? "no support" : "\($0) support" }
        if let reinforcement = view.reinforcement, reinforcement != "none" { help.append("\(reinforcement) reinforcement") }
        var cues = view.cues.joined(separator: ", ")
        if let novelty = view.cueNovelty, !cues.isEmpty { cues += " (\(novelty))" }
        return compact([
            "poster": card.poster.map(dataURI), "posterLeftOut": card.posterLeftOut,
            "assetKind": view.assetKind?.rawValue ?? "from home", "asset": String((view.asset?.rawValue ?? "").prefix(8)),
            "range": view.rangeText == "whole" ? "" : view.rangeText, "date": card.day,
            "timeOfDay": card.timeOfDay?.words ?? "", "responses": view.responses.map(words).joined(separator: ", "),
            "areas": view.areas.joined(separator: ", "), "help": help.joined(separator: ", "), "cues": cues,
            "context": [view.activity, view.setting, view.equipment].compactMap { $0 }.joined(separator: " · "),
            "people": view.withStaff.joined(separator: ", "), "state": view.state, "note": view.note,
            "observation": view.id.description, "observer": view.observer, "fromHome": view.origin == .family ? true : nil,
        ])
    }

    /// A template context without its empty values: a mustache section shows for any value that is there, so
    /// "nothing recorded" must be absent, not nil or "".
    static func compact(_ values: [String: Any?]) -> [String: Any] {
        var result: [String: Any] = [:]
        for (key, value) in values {
            guard let value else { continue }
            if let text = value as? String, text.isEmpty { continue }
            result[key] = value
        }
        return result
    }

    static func indicator(_ indicator: ProgressIndicator) -> [String: Any] {
        [
            "kind": indicator.kind.rawValue.replacingOccurrences(of: "-", with: " "), "summary": indicator.summary,
            "observations": indicator.observations.map(\.description).joined(separator: ", "),
        ]
    }

    static func judgement(_ view: JudgementView) -> [String: Any] {
        compact([
            "text": view.text, "period": view.period, "recordedBy": view.recordedBy,
            "recordedOn": String(ISO8601DateFormatter().string(from: view.recordedAt).prefix(10)),
            "evidence": view.evidence.map(\.description).joined(separator: ", "),
        ])
    }

    static func words(_ term: String) -> String { term.replacingOccurrences(of: "-", with: " ") }

    /// A JPEG as a `data:` URI; `/` percent-encoded (WHATWG data URLs percent-decode before base64), so no `//`
    /// ever appears in a `src`.
    public static func dataURI(_ jpeg: Data) -> String {
        "data:image/jpeg;base64," + jpeg.base64EncodedString().replacingOccurrences(of: "/", with: "%2F")
    }
}

extension String {
    var capitalisedFirst: String { prefix(1).uppercased() + dropFirst() }
}
