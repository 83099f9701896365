import Foundation

#if canImport(FoundationXML)
    internal import FoundationXML
#endif

/// An ELAN annotation document (`.eaf`, versions 2.x and 3.0), read with Foundation's XML parser (libxml2).
///
/// Alignable annotations point at two `TIME_SLOT`s; a slot without `TIME_VALUE` (inside a `Time_Subdivision` tier)
/// takes the time ELAN shows for it (``slotTimes(_:)``). A `REF_ANNOTATION` takes its times from the annotation it
/// refers to, up the chain.
struct ELANDocument {
    struct Annotation: Equatable {
        var id: String
        var tier: String
        var startMs: Int64
        var endMs: Int64
        var value: String
        var line: Int
        /// The annotation a `REF_ANNOTATION` refers to (nil for an alignable one).
        var reference: String? = nil
    }

    /// Annotations of every tier, in document order.
    var annotations: [Annotation]
    /// The media file the document links, if any.
    var mediaURL: String?
    /// The linked media's `TIME_ORIGIN`: the point in the media file (ms) where the annotation timeline starts.
    var timeOriginMs: Int64 = 0
    /// Each tier's `PARENT_REF`.
    var tierParents: [String: String] = [:]

    /// Parses `.eaf` text; errors name the file, the line and the element.
    static func parse(_ text: String, path: String) throws(EvidenceError) -> ELANDocument {
        let collector = Collector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = collector
        // libxml2's SAX mode can stop early on mismatched tags and still report success: also require a balanced tree.
        guard parser.parse(), collector.failure == nil, parser.parserError == nil, collector.depth == 0, collector.closedDocument else {
            if let failure = collector.failure { throw EvidenceError(.usage, "\(path), \(failure)") }
            let reason = parser.parserError.map { "XML error \(($0 as NSError).code)" } ?? "an element is never closed"
            throw EvidenceError(.usage, "\(path), line \(parser.lineNumber): not a well-formed ELAN file (\(reason)).")
        }
        guard collector.sawDocument else {
            throw EvidenceError(.usage, "\(path): not an ELAN file (no ANNOTATION_DOCUMENT element).")
        }
        let times = slotTimes(collector)
        let byID = Dictionary(collector.annotations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [Annotation] = []
        for raw in collector.annotations {
            var annotation = Annotation(
                id: raw.id, tier: raw.tier, startMs: 0, endMs: 0, value: raw.value, line: raw.line, reference: raw.reference)
            if let reference = raw.reference {
                var target = reference
                var seen: Set<String> = [raw.id]
                while let parent = byID[target], let up = parent.reference {
                    guard seen.insert(target).inserted else { break }
                    target = up
                }
                guard let top = byID[target], let s = top.slot1, let e = top.slot2,
                    let start = times[s], let end = times[e]
                else {
                    throw EvidenceError(
                        .usage, "\(path), line \(raw.line): REF_ANNOTATION \(raw.id) refers to \(reference), which has no times.")
                }
                annotation.startMs = start
                annotation.endMs = end
            } else {
                guard let s = raw.slot1, let e = raw.slot2, let start = times[s], let end = times[e] else {
                    throw EvidenceError(
                        .usage, "\(path), line \(raw.line): ANNOTATION \(raw.id) points at an unknown TIME_SLOT.")
                }
                annotation.startMs = start
                annotation.endMs = end
            }
            guard annotation.endMs >= annotation.startMs else {
                throw EvidenceError(.usage, "\(path), line \(raw.line): ANNOTATION \(raw.id) ends before it starts.")
            }
            result.append(annotation)
        }
        return ELANDocument(
            annotations: result, mediaURL: collector.mediaURL, timeOriginMs: collector.timeOriginMs, tierParents: collector.tierParents)
    }

    /// Slot times as ELAN shows them. An aligned slot has its `TIME_VALUE`. Unaligned slots are the inner
    /// boundaries of a chain of annotations on one tier (each starting where the one before ends, as a
    /// `Time_Subdivision` writes them): a run of them is spread evenly between the nearest aligned slots of that
    /// chain, or the edges of the parent annotation (on the tier's `PARENT_REF`) that holds the chain when the chain's
    /// own first or last slot is unaligned. Slots of other tiers never count, whatever their place in `TIME_ORDER`.
    /// Parents are resolved before their children; a slot in no chain falls back to its neighbours in `TIME_ORDER`.
    private static func slotTimes(_ collector: Collector) -> [String: Int64] {
        var times = collector.slotValues
        let position = Dictionary(collector.slotOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let alignable: [(id: String, tier: String, start: String, end: String)] = collector.annotations.compactMap { raw in
            guard raw.reference == nil, let start = raw.slot1, let end = raw.slot2 else { return nil }
            return (raw.id, raw.tier, start, end)
        }
        let byTier = Dictionary(grouping: alignable, by: \.tier)
        // Tiers parent first: a tier's depth is the length of its PARENT_REF chain.
        func depth(_ tier: String) -> Int {
            var count = 0
            var current = tier
            var seen: Set<String> = [tier]
            while let parent = collector.tierParents[current], seen.insert(parent).inserted {
                count += 1
                current = parent
            }
            return count
        }
        for tier in byTier.keys.sorted(by: { (depth($0), $0) < (depth($1), $1) }) {
            let annotations = byTier[tier] ?? []
            let startingAt = Dictionary(annotations.map { ($0.start, $0) }, uniquingKeysWith: { first, _ in first })
            let ends = Set(annotations.map(\.end))
            for head in annotations where !ends.contains(head.start) {
                var slots = [head.start]
                var current: (id: String, tier: String, start: String, end: String)? = head
                var visited: Set<String> = []
                while let annotation = current, visited.insert(annotation.id).inserted {
                    slots.append(annotation.end)
                    current = startingAt[annotation.end]
                }
                guard slots.contains(where: { times[$0] == nil }) else { continue }
                var known: [(index: Int, ms: Int64)] = slots.enumerated().compactMap { item in times[item.element].map { (item.offset, $0) } }
                if times[slots[0]] == nil || times[slots[slots.count - 1]] == nil,
                    let parent = parentInterval(of: slots, tier: tier, collector: collector, times: times, position: position)
                {
                    if times[slots[0]] == nil { known.insert((0, parent.start), at: 0) }
                    if times[slots[slots.count - 1]] == nil { known.append((slots.count - 1, parent.end)) }
                }
                for (left, right) in zip(known, known.dropFirst()) where right.index - left.index > 1 {
                    let steps = Int64(right.index - left.index)
                    for index in (left.index + 1)..<right.index {
                        times[slots[index]] = left.ms + (right.ms - left.ms) * Int64(index - left.index) / steps
                    }
                }
            }
        }
        // Any slot still without a time: between its neighbours in TIME_ORDER (ELAN 2.x files without parents).
        let order = collector.slotOrder
        var index = 0
        while index < order.count {
            guard times[order[index]] == nil else {
                index += 1
                continue
            }
            var next = index
            while next < order.count, times[order[next]] == nil { next += 1 }
            let before = index > 0 ? times[order[index - 1]] ?? 0 : 0
            let after = next < order.count ? times[order[next]] ?? before : before
            for (offset, slot) in order[index..<next].enumerated() {
                times[slot] = before + (after - before) * Int64(offset + 1) / Int64(next - index + 1)
            }
            index = next
        }
        return times
    }

    /// The interval of the annotation on `tier`'s parent tier that holds a chain of `slots` (by their places in
    /// `TIME_ORDER`), with the parent's own times.
    private static func parentInterval(
        of slots: [String], tier: String, collector: Collector, times: [String: Int64], position: [String: Int]
    ) -> (start: Int64, end: Int64)? {
        guard let parentTier = collector.tierParents[tier], let first = slots.first.flatMap({ position[$0] }),
            let last = slots.last.flatMap({ position[$0] })
        else { return nil }
        for parent in collector.annotations where parent.tier == parentTier && parent.reference == nil {
            guard let s = parent.slot1, let e = parent.slot2, let from = position[s], let to = position[e],
                let start = times[s], let end = times[e]
            else { continue }
            if from <= first, last <= to { return (start, end) }
        }
        return nil
    }

    /// The events for import: tier → subject, value → code, times on the media's own clock (annotation time plus the
    /// media's `TIME_ORIGIN`, as ELAN plays it).
    func events() -> [AnnotationEvent] {
        annotations.map {
            AnnotationEvent(
                subject: $0.tier, code: $0.value, startMs: $0.startMs + timeOriginMs, endMs: $0.endMs + timeOriginMs,
                location: "ANNOTATION \($0.id) (line \($0.line))")
        }
    }

    /// Writes an ELAN 3.0 document: one tier per name, one time slot per distinct time, annotations in time order.
    static func write(tiers: [(name: String, annotations: [(startMs: Int64, endMs: Int64, value: String)])], mediaURL: String?)
        -> String
    {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let stamp = ISO8601DateFormatter().string(from: Date())
        var slots: [Int64] = []
        for tier in tiers { for a in tier.annotations { slots.append(a.startMs); slots.append(a.endMs) } }
        let ordered = Array(Set(slots)).sorted()
        let slotID = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, "ts\($0 + 1)") })
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ANNOTATION_DOCUMENT AUTHOR="evidence" DATE="\(stamp)" FORMAT="3.0" VERSION="3.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">
                <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">

            """
        if let mediaURL {
            let url = mediaURL.hasPrefix("file:") ? mediaURL : URL(fileURLWithPath: mediaURL).absoluteString
            let type = mediaURL.lowercased().hasSuffix(".jpg") ? "image/jpeg" : "video/mp4"
            xml += "        <MEDIA_DESCRIPTOR MEDIA_URL=\"\(escape(url))\" MIME_TYPE=\"\(type)\"/>\n"
        }
        xml += "    </HEADER>\n    <TIME_ORDER>\n"
        for time in ordered { xml += "        <TIME_SLOT TIME_SLOT_ID=\"\(slotID[time]!)\" TIME_VALUE=\"\(time)\"/>\n" }
        xml += "    </TIME_ORDER>\n"
        var next = 1
        for tier in tiers {
            xml += "    <TIER LINGUISTIC_TYPE_REF=\"default-lt\" TIER_ID=\"\(escape(tier.name))\">\n"
            for a in tier.annotations.sorted(by: { ($0.startMs, $0.endMs) < ($1.startMs, $1.endMs) }) {
                xml += """
                            <ANNOTATION>
                                <ALIGNABLE_ANNOTATION ANNOTATION_ID="a\(next)" TIME_SLOT_REF1="\(slotID[a.startMs]!)" TIME_SLOT_REF2="\(slotID[a.endMs]!)">
                                    <ANNOTATION_VALUE>\(escape(a.value))</ANNOTATION_VALUE>
                                </ALIGNABLE_ANNOTATION>
                            </ANNOTATION>

                    """
                next += 1
            }
            xml += "    </TIER>\n"
        }
        xml += """
                <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="default-lt" TIME_ALIGNABLE="true"/>
                <CONSTRAINT DESCRIPTION="Time subdivision of parent annotation's time interval, no time gaps allowed within this interval" STEREOTYPE="Time_Subdivision"/>
                <CONSTRAINT DESCRIPTION="Symbolic subdivision of a parent annotation. Annotations refering to the same parent are ordered" STEREOTYPE="Symbolic_Subdivision"/>
                <CONSTRAINT DESCRIPTION="1-1 association with a parent annotation" STEREOTYPE="Symbolic_Association"/>
                <CONSTRAINT DESCRIPTION="Graphic references" STEREOTYPE="Included_In"/>
            </ANNOTATION_DOCUMENT>

            """
        return xml
    }

    /// SAX callbacks that collect slots, tiers and annotations.
    private final class Collector: NSObject, XMLParserDelegate {
        struct Raw {
            var id: String
            var tier: String
            var slot1: String?
            var slot2: String?
            var reference: String?
            var value: String
            var line: Int
        }
        var sawDocument = false
        var closedDocument = false
        var depth = 0
        var slotOrder: [String] = []
        var slotValues: [String: Int64] = [:]
        var annotations: [Raw] = []
        var mediaURL: String?
        var timeOriginMs: Int64 = 0
        /// Each tier's `PARENT_REF`.
        var tierParents: [String: String] = [:]
        var failure: String?
        private var tier: String?
        private var current: Raw?
        private var inValue = false
        private var text = ""

        func parser(
            _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let line = parser.lineNumber
            depth += 1
            switch element {
            case "ANNOTATION_DOCUMENT":
                sawDocument = true
            case "MEDIA_DESCRIPTOR":
                // The first media descriptor is the video the annotations are on.
                if mediaURL == nil {
                    mediaURL = attributes["MEDIA_URL"]
                    if let origin = attributes["TIME_ORIGIN"] {
                        guard let ms = Int64(origin), ms >= 0 else {
                            return fail(parser, "line \(line): MEDIA_DESCRIPTOR has TIME_ORIGIN \"\(origin)\", not milliseconds.")
                        }
                        timeOriginMs = ms
                    }
                }
            case "TIME_SLOT":
                guard let id = attributes["TIME_SLOT_ID"] else { return fail(parser, "line \(line): TIME_SLOT without TIME_SLOT_ID.") }
                slotOrder.append(id)
                if let value = attributes["TIME_VALUE"] {
                    guard let ms = Int64(value), ms >= 0 else {
                        return fail(parser, "line \(line): TIME_SLOT \(id) has TIME_VALUE \"\(value)\", not milliseconds.")
                    }
                    slotValues[id] = ms
                }
            case "TIER":
                guard let id = attributes["TIER_ID"] else { return fail(parser, "line \(line): TIER without TIER_ID.") }
                tier = id
                if let parent = attributes["PARENT_REF"] { tierParents[id] = parent }
            case "ALIGNABLE_ANNOTATION", "REF_ANNOTATION":
                guard let tier, let id = attributes["ANNOTATION_ID"] else {
                    return fail(parser, "line \(line): \(element) without ANNOTATION_ID or outside a TIER.")
                }
                current = Raw(
                    id: id, tier: tier, slot1: attributes["TIME_SLOT_REF1"], slot2: attributes["TIME_SLOT_REF2"],
                    reference: attributes["ANNOTATION_REF"], value: "", line: line)
                if element == "REF_ANNOTATION", current?.reference == nil {
                    return fail(parser, "line \(line): REF_ANNOTATION \(id) without ANNOTATION_REF.")
                }
            case "ANNOTATION_VALUE":
                inValue = true
                text = ""
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inValue { text += string }
        }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
            switch element {
            case "ANNOTATION_DOCUMENT":
                closedDocument = true
            case "ANNOTATION_VALUE":
                inValue = false
                current?.value = text
            case "ALIGNABLE_ANNOTATION", "REF_ANNOTATION":
                if let current { annotations.append(current) }
                current = nil
            case "TIER":
                tier = nil
            default:
                break
            }
        }

        private func fail(_ parser: XMLParser, _ message: String) {
            failure = message
            parser.abortParsing()
        }
    }
}
