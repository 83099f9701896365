@testable import Catalogue
import Foundation
import GRDB
import Testing

/// A composite row identity (appearances) is part of every stored MAC: the fast spelling must be exactly what
/// `String(describing:)` printed when those MACs were made.
struct RowIdentityTests {
    @Test func theFastSpellingIsTheReflectedOne() {
        var generator = SystemRandomNumberGenerator()
        var values: [DatabaseValue] = [
            .null, 0.databaseValue, (-5).databaseValue, Int64.max.databaseValue, Int64.min.databaseValue, 0.1.databaseValue,
            1.0.databaseValue, (-2.5e10).databaseValue, Double.infinity.databaseValue, "".databaseValue, "a\"b\\c".databaseValue,
            "é\n\t\u{1}🎵".databaseValue, UUID().uuidString.lowercased().databaseValue, Data([1, 2, 3]).databaseValue,
            Data().databaseValue,
        ]
        for _ in 0..<200 {
            values.append(Int64.random(in: .min ... .max, using: &generator).databaseValue)
            values.append(Double.random(in: -1e12...1e12, using: &generator).databaseValue)
            let scalars = (0..<Int.random(in: 0...12, using: &generator)).compactMap { _ in
                Unicode.Scalar(UInt32.random(in: 0...0x1F9FF, using: &generator))
            }
            values.append(String(String.UnicodeScalarView(scalars)).databaseValue)
            // ASCII, quotes, backslashes and control characters included: the fast path and its way out.
            let ascii = (0..<Int.random(in: 0...16, using: &generator)).map { _ in Character(Unicode.Scalar(UInt8.random(in: 0...0x7F, using: &generator))) }
            values.append(String(ascii).databaseValue)
        }
        for value in values {
            #expect(RowAuthentication.describe(value.storage) == String(describing: value.storage), "\(value)")
        }
    }
}
