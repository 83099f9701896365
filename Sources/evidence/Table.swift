import Foundation

/// Prints rows as an aligned text table: each column as wide as its widest cell, the last one unpadded. Control
/// characters in a cell (a file name from a card can hold a newline or an escape sequence) are shown escaped, so a
/// name can neither break the table nor drive the terminal.
func printTable(_ header: [String], _ rows: [[String]]) {
    let rows = rows.map { $0.map(escapedForTerminal) }
    var widths = header.map(\.count)
    for row in rows {
        for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
    }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in index == cells.count - 1 ? cell : pad(cell, widths[index]) }
            .joined(separator: "  ")
    }
    Terminal.print(line(header))
    for row in rows { Terminal.print(line(row)) }
}

/// Splits repeated and comma-separated option values: `--area a,b --area c` → `[a, b, c]`.
func splitList(_ values: [String]) -> [String] {
    values.flatMap { $0.split(separator: ",") }.map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// `text` with control characters written as escapes (`\n`, `\t`, `\u{1B}`).
func escapedForTerminal(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.properties.generalCategory == .control: out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}
