import Catalogue
import EvidenceKit
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `find --json` written as it is found: one observation per line inside one JSON array, with the same keys and
/// values as the JSONEncoder writes elsewhere (keys sorted, unknown as `null`, times as ISO 8601), so a broad query
/// runs in bounded memory and without Foundation's encoder on the hot path.
struct ObservationJSON {
    private var buffer: [UInt8] = []
    private var count = 0
    /// Where the bytes go.
    private let descriptor: Int32

    init(descriptor: Int32 = STDOUT_FILENO) {
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 18)
        buffer.append(UInt8(ascii: "["))
    }

    /// One value as JSON writes it.
    enum Value {
        case string(String)
        case number(Int64)
        case bool(Bool)
        case strings([String])
        case null
    }

    /// Appends one observation.
    mutating func append(_ o: ObservationView) {
        let f = o.fields
        func text(_ value: String?) -> Value { value.map(Value.string) ?? .null }
        let pairs: [(String, Value)] = [
            ("activity", text(f.activity)), ("areas", .strings(f.areas)), ("asset", text(o.asset?.rawValue)),
            ("assetKind", text(o.assetKind?.rawValue)), ("cueNovelty", text(f.cueNovelty)), ("cues", .strings(f.cues)),
            ("endMs", o.endMs.map(Value.number) ?? .null), ("equipment", text(f.equipment)), ("id", .string(o.id.description)),
            ("intent", text(f.intent)), ("moment", .string(o.moment.description)), ("note", text(f.note)),
            ("observer", .string(o.observer)), ("occurredAt", .string(o.occurredAt)), ("origin", .string(o.origin.rawValue)),
            ("outcome", f.outcome.map { Value.number(Int64($0)) } ?? .null), ("prompt", text(f.prompt)), ("pupil", .string(o.pupil)),
            ("recordedAt", .string(Self.utc(o.recordedAt))), ("reinforcement", text(f.reinforcement)),
            ("responses", .strings(f.responses)), ("restricted", .bool(o.restricted)), ("restrictions", .strings(o.restrictions)),
            ("setting", text(f.setting)), ("startMs", o.startMs.map(Value.number) ?? .null), ("state", text(f.state)),
            ("supports", .strings(f.supports)), ("withStaff", .strings(f.withStaff)),
        ]
        buffer.append(contentsOf: count == 0 ? Array("\n  {".utf8) : Array(",\n  {".utf8))
        count += 1
        for (index, (key, value)) in pairs.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            Self.string(key, into: &buffer)
            buffer.append(UInt8(ascii: ":"))
            switch value {
            case .string(let s): Self.string(s, into: &buffer)
            case .number(let n): buffer.append(contentsOf: String(n).utf8)
            case .bool(let b): buffer.append(contentsOf: (b ? "true" : "false").utf8)
            case .null: buffer.append(contentsOf: "null".utf8)
            case .strings(let list):
                buffer.append(UInt8(ascii: "["))
                for (i, item) in list.enumerated() {
                    if i > 0 { buffer.append(UInt8(ascii: ",")) }
                    Self.string(item, into: &buffer)
                }
                buffer.append(UInt8(ascii: "]"))
            }
        }
        buffer.append(UInt8(ascii: "}"))
        if buffer.count > 1 << 18 { flush() }
    }

    /// Closes the array and writes what is left.
    mutating func finish() {
        buffer.append(contentsOf: (count == 0 ? "]\n" : "\n]\n").utf8)
        flush()
    }

    private mutating func flush() {
        Terminal.write(Data(buffer), to: descriptor)
        buffer.removeAll(keepingCapacity: true)
    }

    /// A JSON string: quotes, backslashes and control characters escaped; `/` and non-ASCII as they are (as
    /// JSONEncoder with `.withoutEscapingSlashes`).
    static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `2026-12-01T14:19:37Z`, as JSONEncoder's `.iso8601` writes a date.
    static func utc(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var out: [UInt8] = []
        out.reserveCapacity(20)
        func digits(_ value: Int32, _ width: Int) {
            var text = Array(String(value).utf8)
            while text.count < width { text.insert(0x30, at: 0) }
            out.append(contentsOf: text)
        }
        digits(parts.tm_year + 1900, 4)
        out.append(0x2D)
        digits(parts.tm_mon + 1, 2)
        out.append(0x2D)
        digits(parts.tm_mday, 2)
        out.append(UInt8(ascii: "T"))
        digits(parts.tm_hour, 2)
        out.append(0x3A)
        digits(parts.tm_min, 2)
        out.append(0x3A)
        digits(parts.tm_sec, 2)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }
}
