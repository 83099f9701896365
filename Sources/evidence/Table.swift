import Foundation

/// Prints rows as an aligned text table: each column as wide as its widest cell, the last one unpadded.
func printTable(_ header: [String], _ rows: [[String]]) {
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
