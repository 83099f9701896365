import Catalogue
import Foundation

/// An SVG timeline drawn here: one row per area, a mark for each moment on its day across the period.
enum SVGTimeline {
    /// `days[area]` are the local days (`YYYY-MM-DD`) of the moments in that area.
    static func render(first: String, last: String, days: [EngagementArea: [String]]) -> String {
        let width = 720.0, rowHeight = 26.0, labelWidth = 110.0
        let height = rowHeight * Double(EngagementArea.allCases.count) + 30
        let start = dayNumber(first), end = max(dayNumber(last), dayNumber(first) + 1)
        func x(_ day: String) -> Double {
            labelWidth + (width - labelWidth - 10) * Double(dayNumber(day) - start) / Double(end - start)
        }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))" role="img" aria-label="Moments per area from \(first) to \(last)">
            """
        for (row, area) in EngagementArea.allCases.enumerated() {
            let y = 12 + rowHeight * Double(row)
            svg += "<text x=\"0\" y=\"\(fmt(y + 5))\" font-size=\"12\" fill=\"#1d2433\">\(area.rawValue.capitalized)</text>"
            svg += "<line x1=\"\(fmt(labelWidth))\" y1=\"\(fmt(y))\" x2=\"\(fmt(width - 10))\" y2=\"\(fmt(y))\" stroke=\"#d7dbe3\"/>"
            for day in (days[area] ?? []).sorted() {
                svg += "<circle cx=\"\(fmt(x(day)))\" cy=\"\(fmt(y))\" r=\"4.5\" fill=\"#1f5f8b\" fill-opacity=\"0.7\"><title>\(day)</title></circle>"
            }
        }
        let axis = 12 + rowHeight * Double(EngagementArea.allCases.count)
        svg += "<text x=\"\(fmt(labelWidth))\" y=\"\(fmt(axis))\" font-size=\"11\" fill=\"#5b6477\">\(first)</text>"
        svg += "<text x=\"\(fmt(width - 10))\" y=\"\(fmt(axis))\" font-size=\"11\" fill=\"#5b6477\" text-anchor=\"end\">\(last)</text>"
        return svg + "</svg>"
    }

    /// Days since 1970 of a `YYYY-MM-DD` (civil calendar, no time zone involved).
    static func dayNumber(_ day: String) -> Int {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return 0 }
        // Howard Hinnant's days_from_civil.
        let y = parts[1] <= 2 ? parts[0] - 1 : parts[0]
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (parts[1] + 9) % 12
        let doy = (153 * mp + 2) / 5 + parts[2] - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}
