import Foundation

/// Media times as people type them: `HH:MM:SS(.mmm)`, `MM:SS(.mmm)` or plain seconds; kept as whole milliseconds.
public enum TimeCode {
    /// Parses a time into milliseconds, or throws a usage error naming `option`.
    public static func milliseconds(_ text: String, field: Field = Field("time")) throws(EvidenceError) -> Int64 {
        if let fast = plainSeconds(text) { return fast }
        let invalid = EvidenceError(
            .usage, "\"\(text)\" is not a time: use HH:MM:SS.mmm, MM:SS or seconds.", field: field, value: text)
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), let last = parts.last,
            last.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), !last.isEmpty,
            let seconds = Decimal(string: String(last)), seconds >= 0
        else { throw invalid }
        var whole: [Int] = []
        for part in parts.dropLast() {
            guard let value = Int(part), value >= 0 else { throw invalid }
            whole.append(value)
        }
        if parts.count > 1, seconds >= 60 { throw invalid }
        if parts.count == 3, whole[1] >= 60 { throw invalid }
        var total = seconds
        switch whole.count {
        case 1: total += Decimal(whole[0] * 60)
        case 2: total += Decimal(whole[0] * 3600 + whole[1] * 60)
        default: break
        }
        var ms = total * 1000
        var rounded = Decimal()
        NSDecimalRound(&rounded, &ms, 0, .plain)
        return NSDecimalNumber(decimal: rounded).int64Value
    }

    /// Plain seconds with up to three decimals (`12`, `12.5`, `12.345`), exactly and without Foundation; nil
    /// for anything else, which takes the general path.
    static func plainSeconds(_ text: String) -> Int64? {
        var whole: Int64 = 0, fraction: Int64 = 0, fractionDigits = 0, sawDot = false, digits = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int64(byte - UInt8(ascii: "0"))
                if sawDot {
                    guard fractionDigits < 3 else { return nil }
                    fraction = fraction * 10 + digit
                    fractionDigits += 1
                } else {
                    guard digits < 12 else { return nil }
                    whole = whole * 10 + digit
                    digits += 1
                }
            case UInt8(ascii: "."):
                guard !sawDot else { return nil }
                sawDot = true
            default:
                return nil
            }
        }
        guard digits > 0 || fractionDigits > 0 else { return nil }
        for _ in fractionDigits..<3 { fraction *= 10 }
        return whole * 1000 + fraction
    }

    /// A moment's range as text (`00:01.200–00:02.500`), or `whole` for a photo or a whole video.
    public static func range(_ startMs: Int64?, _ endMs: Int64?) -> String {
        guard let startMs, let endMs else { return "whole" }
        return "\(format(startMs))–\(format(endMs))"
    }

    /// `MM:SS.mmm`, with hours in front only when needed, e.g. `01:12.400` or `1:02:03.000`.
    public static func format(_ ms: Int64) -> String {
        let hours = ms / 3_600_000, minutes = ms / 60_000 % 60, seconds = ms / 1000 % 60, millis = ms % 1000
        let tail = String(format: "%02lld:%02lld.%03lld", minutes, seconds, millis)
        return hours > 0 ? "\(hours):\(tail)" : tail
    }
}
