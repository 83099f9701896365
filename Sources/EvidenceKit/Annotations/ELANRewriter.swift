import Foundation

#if canImport(FoundationXML)
    internal import FoundationXML
#endif

/// Writes an export of a video that was annotated in ELAN as that same document: everything ELAN keeps (tiers and
/// their `PARENT_REF`, linguistic types and constraints, controlled vocabularies and `CVE_REF`, participants,
/// annotators, languages, empty tiers, unaligned slots, `REF_ANNOTATION`s, media descriptors) stays as it was; the
/// annotations whose observations were untagged are taken out, with those that depend on them (references to them,
/// subdivisions inside them); observations made since are added on tiers of their own.
enum ELANRewriter {
    /// An annotation to add: on `tier`, `startMs`–`endMs` on the document's timeline.
    struct Addition {
        var tier: String
        var startMs: Int64
        var endMs: Int64
        var value: String
    }

    /// The ids to take out: `gone` and everything that depends on them, in `document`.
    static func closure(of gone: Set<String>, in document: ELANDocument) -> Set<String> {
        var dropped = gone
        var changed = true
        while changed {
            changed = false
            // The dropped annotations by tier, so a subdivision looks only at its own parent tier's.
            let droppedByTier = Dictionary(grouping: document.annotations.filter { dropped.contains($0.id) }, by: \.tier)
            for annotation in document.annotations where !dropped.contains(annotation.id) {
                let dependsByReference = annotation.reference.map { dropped.contains($0) } ?? false
                let dependsByTime =
                    annotation.reference == nil
                    && (document.tierParents[annotation.tier].flatMap { droppedByTier[$0] } ?? []).contains {
                        $0.startMs <= annotation.startMs && annotation.endMs <= $0.endMs
                    }
                if dependsByReference || dependsByTime {
                    dropped.insert(annotation.id)
                    changed = true
                }
            }
        }
        return dropped
    }

    /// `original` without the annotations `dropping`, with `additions` on tiers of their own, linked to `mediaURL`
    /// when given.
    static func rewrite(_ original: String, dropping: Set<String>, additions: [Addition], mediaURL: String?)
        throws(EvidenceError) -> String
    {
        let xml: XMLDocument
        do { xml = try XMLDocument(xmlString: original, options: [.nodePreserveWhitespace]) } catch {
            throw EvidenceError(.integrity, "The imported ELAN document could not be read again: \(error)")
        }
        guard let root = xml.rootElement() else {
            throw EvidenceError(.integrity, "The imported ELAN document has no ANNOTATION_DOCUMENT.")
        }
        func attribute(_ element: XMLElement, _ name: String) -> String? { element.attribute(forName: name)?.stringValue }
        func set(_ element: XMLElement, _ name: String, _ value: String) {
            if let existing = element.attribute(forName: name) {
                existing.stringValue = value
            } else if let node = XMLNode.attribute(withName: name, stringValue: value) as? XMLNode {
                element.addAttribute(node)
            }
        }
        let tiers = root.elements(forName: "TIER")
        var annotationNumbers: [Int] = [0]
        for tier in tiers {
            for wrapper in tier.elements(forName: "ANNOTATION") {
                guard let inner = wrapper.children?.compactMap({ $0 as? XMLElement }).first else { continue }
                let id = attribute(inner, "ANNOTATION_ID") ?? ""
                annotationNumbers.append(Int(id.drop { !$0.isNumber }) ?? 0)
                if dropping.contains(id) { wrapper.detach() }
            }
        }
        if let mediaURL, let header = root.elements(forName: "HEADER").first,
            let media = header.elements(forName: "MEDIA_DESCRIPTOR").first
        {
            set(media, "MEDIA_URL", mediaURL)
            media.removeAttribute(forName: "RELATIVE_MEDIA_URL")
        }
        guard !additions.isEmpty else { return xml.xmlString(options: [.nodePreserveWhitespace]) }

        // New slots (aligned), new tiers after the last one, a plain linguistic type for them if none exists.
        guard let timeOrder = root.elements(forName: "TIME_ORDER").first else {
            throw EvidenceError(.integrity, "The imported ELAN document has no TIME_ORDER.")
        }
        var slotNumbers = timeOrder.elements(forName: "TIME_SLOT").compactMap { attribute($0, "TIME_SLOT_ID").flatMap { Int($0.drop { !$0.isNumber }) } }
        slotNumbers.append(0)
        var nextSlot = (slotNumbers.max() ?? 0) + 1
        var nextAnnotation = (annotationNumbers.max() ?? 0) + 1
        let existing = Set(tiers.compactMap { attribute($0, "TIER_ID") })
        let type = "evidence-default"
        var byTier: [(name: String, items: [Addition])] = []
        for addition in additions {
            let name = existing.contains(addition.tier) ? "\(addition.tier) (evidence)" : addition.tier
            if let index = byTier.firstIndex(where: { $0.name == name }) {
                byTier[index].items.append(addition)
            } else {
                byTier.append((name, [addition]))
            }
        }
        var insertAt = (tiers.last.map { $0.index + 1 }) ?? root.childCount
        for (name, items) in byTier {
            let tier = XMLElement(name: "TIER")
            set(tier, "LINGUISTIC_TYPE_REF", type)
            set(tier, "TIER_ID", name)
            for item in items.sorted(by: { ($0.startMs, $0.endMs) < ($1.startMs, $1.endMs) }) {
                let (start, end) = ("ts\(nextSlot)", "ts\(nextSlot + 1)")
                nextSlot += 2
                for (id, ms) in [(start, item.startMs), (end, item.endMs)] {
                    let slot = XMLElement(name: "TIME_SLOT")
                    set(slot, "TIME_SLOT_ID", id)
                    set(slot, "TIME_VALUE", String(max(0, ms)))
                    timeOrder.addChild(slot)
                }
                let alignable = XMLElement(name: "ALIGNABLE_ANNOTATION")
                set(alignable, "ANNOTATION_ID", "a\(nextAnnotation)")
                set(alignable, "TIME_SLOT_REF1", start)
                set(alignable, "TIME_SLOT_REF2", end)
                nextAnnotation += 1
                alignable.addChild(XMLElement(name: "ANNOTATION_VALUE", stringValue: item.value))
                let wrapper = XMLElement(name: "ANNOTATION")
                wrapper.addChild(alignable)
                tier.addChild(wrapper)
            }
            root.insertChild(tier, at: insertAt)
            insertAt += 1
        }
        if !root.elements(forName: "LINGUISTIC_TYPE").contains(where: { attribute($0, "LINGUISTIC_TYPE_ID") == type }) {
            let linguistic = XMLElement(name: "LINGUISTIC_TYPE")
            set(linguistic, "GRAPHIC_REFERENCES", "false")
            set(linguistic, "LINGUISTIC_TYPE_ID", type)
            set(linguistic, "TIME_ALIGNABLE", "true")
            root.insertChild(linguistic, at: insertAt)
        }
        if let header = root.elements(forName: "HEADER").first,
            let last = header.elements(forName: "PROPERTY").first(where: { attribute($0, "NAME") == "lastUsedAnnotationId" })
        {
            last.stringValue = String(nextAnnotation - 1)
        }
        return xml.xmlString(options: [.nodePreserveWhitespace])
    }
}
