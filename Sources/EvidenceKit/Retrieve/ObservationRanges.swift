public import Catalogue

/// Observation ids as the audit log writes them: `o5-o9,o12` (ranges of consecutive ids, then singles).
public enum ObservationRanges {
    /// The ids, compressed.
    public static func text(_ ids: [ObservationID]) -> String {
        let sorted = Array(Set(ids.map(\.rawValue))).sorted()
        var parts: [String] = []
        var start: Int64?
        var previous: Int64?
        func close() {
            guard let start, let previous else { return }
            parts.append(start == previous ? "o\(start)" : "o\(start)-o\(previous)")
        }
        for id in sorted {
            if let last = previous, id == last + 1 {
                previous = id
                continue
            }
            close()
            start = id
            previous = id
        }
        close()
        return parts.joined(separator: ",")
    }

    /// The ids in a text written by ``text(_:)``, or in an audit detail's `ids=` field or an edit's `o12→o13`.
    public static func ids(in text: String) -> [ObservationID] {
        var ids: [ObservationID] = []
        for part in text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "→" }) {
            let bounds = part.split(separator: "-").map { $0.hasPrefix("o") ? $0.dropFirst() : $0 }.compactMap { Int64($0) }
            guard part.hasPrefix("o") || part.contains("-o") else { continue }
            if bounds.count == 1 {
                ids.append(ObservationID(bounds[0]))
            } else if bounds.count == 2, bounds[0] <= bounds[1], bounds[1] - bounds[0] < 10_000_000 {
                ids += (bounds[0]...bounds[1]).map(ObservationID.init)
            }
        }
        return ids
    }
}
