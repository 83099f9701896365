import Foundation

/// A share bundle's passphrase: six words from EFF's large list (77.5 bits) that a family can type on a phone, or
/// one the school chose, checked by a simple strength estimate.
public enum SharePassphrase {
    /// EFF's large word list (`Words/`, CC BY 3.0 US), one word per line.
    static let words: [String] = {
        guard let url = Bundle.module.url(forResource: "Words/eff-large-wordlist", withExtension: "txt")
            ?? Bundle.module.url(forResource: "Words", withExtension: nil)?.appendingPathComponent("eff-large-wordlist.txt"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [] }
        return text.split(whereSeparator: \.isNewline).map { String($0) }.filter { !$0.isEmpty }
    }()

    /// Six words chosen uniformly with the system's cryptographic random source.
    public static func generate() throws(DocumentError) -> String {
        guard words.count == 7776 else { throw DocumentError("The passphrase word list is missing from the installation (Words/).") }
        var random = SystemRandomNumberGenerator()
        return (0..<6).map { _ in words[Int(random.next(upperBound: UInt64(words.count)))] }.joined(separator: " ")
    }

    /// As the viewer reads it: trimmed, lower case, single spaces.
    public static func normalised(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// A simple estimate, in bits: words from the list count 12.9 bits each; anything else counts by its length
    /// and the kinds of character in it.
    public static func estimatedBits(_ text: String) -> Double {
        let normal = normalised(text)
        let tokens = normal.split(separator: " ").map(String.init)
        let known = Set(words)
        if !tokens.isEmpty, tokens.allSatisfy(known.contains) { return Double(tokens.count) * log2(Double(words.count)) }
        var pool = 0
        if normal.contains(where: \.isLowercase) { pool += 26 }
        if text.contains(where: \.isUppercase) { pool += 26 }
        if normal.contains(where: \.isNumber) { pool += 10 }
        if normal.contains(where: { !$0.isLetter && !$0.isNumber }) { pool += 33 }
        return Double(normal.count) * log2(Double(max(pool, 2)))
    }
}
