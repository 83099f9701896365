import Catalogue
import EvidenceKit
import Foundation
import GRDB
import Testing

/// The hand-written timestamp formatter stores what GRDB stores: the same text for whole seconds (day boundaries,
/// query bounds), and text GRDB decodes back to the same millisecond otherwise.
@Test func timestampTextAgreesWithGRDB() throws {
    var random = ConsentPropertyTests.SeededGenerator(seed: 99)
    for _ in 0..<5_000 {
        let ms = Int64.random(in: 0...7_258_118_400_000, using: &random)  // 1970 to 2200
        let seconds = Date(timeIntervalSince1970: Double(ms / 1000))
        guard case .string(let expected) = seconds.databaseValue.storage else {
            Issue.record("GRDB did not store a Date as text")
            return
        }
        #expect(Timestamp.text(seconds) == expected, "\(ms / 1000) s")
        let date = Date(timeIntervalSince1970: Double(ms) / 1000)
        let decoded = try #require(Date.fromDatabaseValue(Timestamp.text(date).databaseValue))
        #expect(Int64((decoded.timeIntervalSince1970 * 1000).rounded()) == ms, "\(ms) ms")
    }
}
