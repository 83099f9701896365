import Catalogue
import EvidenceKit
import Foundation
import TestSupport
import Testing
import Vault

/// Consent as properties: random rosters, histories and appearances, checked against an oracle written here
/// independently of `ConsentRule` (sort the history; the last decision on or before the day wins).
@Suite struct ConsentPropertyTests {
    /// The product's seeded generator, so a failing case can be replayed from its seed.
    typealias SeededGenerator = SplitMix64

    struct Decision {
        var purpose: ConsentPurpose
        var decision: ConsentDecision
        var day: String
    }

    static func oracle(_ history: [Decision], _ purpose: ConsentPurpose, on day: String) -> Bool {
        // Stable sort by day keeps recording order within a day: the last one applies.
        let applicable = history.enumerated().filter { $0.element.purpose == purpose && $0.element.day <= day }
            .sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }
        return applicable.last?.element.decision == .granted
    }

    static func day(_ base: Date, plus days: Int, zone: TimeZone) -> String {
        CalendarDate.day(of: base.addingTimeInterval(Double(days) * 86_400), in: zone)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func taggingRespectsCaptureConsentAndDecisionsApplyFromTheirDate(seed: UInt64) async throws {
        var random = SeededGenerator(seed: seed)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-prop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (library, _) = try Library.create(at: dir, passphrase: "property passphrase", strength: .interactive, createdBy: "test-teacher")
        let session = try TestSession.make(library)
        _ = try await Ingestor(session).ingest(paths: [Fixtures.dcim().appendingPathComponent("102TABLET").path])
        let assets = try library.catalogue.read { try $0.allAssets() }
        let video = try #require(assets.first { $0.kind == .video && ($0.durationSeconds ?? 0) >= 3 })
        let assetDay = CalendarDate.day(of: video.capturedAt, in: session.timeZone)

        var roster: [(pupil: Pupil, history: [Decision])] = []
        for index in 0..<12 {
            let pupil = try Roster(session).addPupil(PupilDraft(name: "Pupil\(seed)x\(index) Test", outcomes: ["Outcome one"]))
            var history: [Decision] = []
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                let decision = Decision(
                    purpose: [.capture, .familySharing, .appearInOthers].randomElement(using: &random)!,
                    decision: ConsentDecision.allCases.randomElement(using: &random)!,
                    day: Self.day(video.capturedAt, plus: Int.random(in: -20...20, using: &random), zone: session.timeZone)
                )
                _ = try ConsentRegister(session).setConsent(
                    pupil: pupil, purpose: decision.purpose, decision: decision.decision, effectiveFrom: decision.day)
                history.append(decision)
            }
            roster.append((pupil, history))
        }

        for (pupil, history) in roster {
            // The rule, for random days around the capture.
            for offset in stride(from: -25, through: 25, by: 5) {
                let day = Self.day(video.capturedAt, plus: offset, zone: session.timeZone)
                let entries = try ConsentRegister(session).consentHistory(pupilID: pupil.id).map { $0.entry }
                for purpose in [ConsentPurpose.capture, .familySharing, .appearInOthers] {
                    #expect(
                        ConsentRule.permits(entries, pupilID: pupil.id, purpose: purpose, on: day)
                            == Self.oracle(history, purpose, on: day),
                        "seed \(seed), \(pupil.handle), \(purpose.rawValue) on \(day)")
                }
            }
            // Tagging the video (whose day is fixed) succeeds exactly when capture is granted that day.
            var draft = ObservationDraft(pupil: pupil.handle)
            draft.areas = ["exploration"]
            let others = roster.filter { $0.pupil != pupil }.shuffled(using: &random).prefix(2).map(\.pupil.handle)
            draft.also = Array(others)
            let start = Int64.random(in: 0...1000, using: &random)
            let result = Result { try Tagger(session).tag(asset: video, from: start, to: start + 500, draft: draft) }
            let allowed = Self.oracle(history, .capture, on: assetDay)
            switch result {
            case .success:
                #expect(allowed, "seed \(seed): \(pupil.handle) was tagged without capture consent on \(assetDay)")
                let seen = try Tagger(session).appearances(of: video).pupils
                #expect(seen.contains(pupil.handle))
                for other in others { #expect(seen.contains(other)) }
            case .failure(let error):
                #expect(!allowed, "seed \(seed): \(pupil.handle) was refused: \(error)")
                #expect("\(error)".contains("capture consent"))
            }
        }
        #expect(try Auditor(session).checkAudit().intact)
    }
}
