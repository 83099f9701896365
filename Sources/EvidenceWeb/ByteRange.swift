import Foundation

/// How to answer an HTTP `Range` header (RFC 9110 §14) for a resource of a known size.
///
/// Written here rather than taken from Hummingbird's `FileMiddleware`, which (in 2.28.1) reads the suffix form
/// `bytes=-N` as `bytes=0-N`: Safari reads an MP4's index from its end that way. The rules:
///
/// - `bytes=N-M` → `N…min(M, size-1)` (a last byte past the end is clamped);
/// - `bytes=N-` → `N…size-1`, every byte to the end, no cap;
/// - `bytes=-N` → the last `N` bytes (all of them when `N` ≥ size); `bytes=-0` is unsatisfiable;
/// - a first byte at or past the end → unsatisfiable (416 with `Content-Range: bytes */SIZE`);
/// - several ranges → the first one only (a 206 with one part, never `multipart/byteranges`); unsatisfiable when
///   the first one is;
/// - no header, another unit, or a malformed one (`bytes=5-2`, `bytes=x-`) → the whole resource (200), as the RFC
///   lets a server ignore a range it cannot parse.
public enum ByteRange: Equatable, Sendable {
    /// Send every byte, 200.
    case whole
    /// Send these bytes, 206.
    case partial(ClosedRange<Int64>)
    /// Send nothing, 416.
    case unsatisfiable

    /// The answer to `header` for a resource of `size` bytes.
    public static func answer(_ header: String?, size: Int64) -> ByteRange {
        guard let header else { return .whole }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > 6, trimmed.prefix(6).lowercased() == "bytes=" else { return .whole }
        guard let first = trimmed.dropFirst(6).split(separator: ",", omittingEmptySubsequences: false).first else {
            return .whole
        }
        let spec = first.trimmingCharacters(in: .whitespaces)
        guard let dash = spec.firstIndex(of: "-") else { return .whole }
        let startText = spec[..<dash]
        let endText = spec[spec.index(after: dash)...]
        if startText.isEmpty {
            guard let suffix = number(endText) else { return .whole }
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .partial(max(0, size - suffix)...(size - 1))
        }
        guard let start = number(startText) else { return .whole }
        let end: Int64
        if endText.isEmpty {
            end = size - 1
        } else {
            guard let last = number(endText) else { return .whole }
            guard last >= start else { return .whole }
            end = min(last, size - 1)
        }
        guard start < size else { return .unsatisfiable }
        return .partial(start...end)
    }

    /// A non-negative decimal of at most 18 digits (so it cannot overflow), else nil.
    private static func number(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.count <= 18, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int64(text)
    }
}
