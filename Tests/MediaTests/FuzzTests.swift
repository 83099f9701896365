import Foundation
import Media
import Testing

/// Seeded mutation fuzzing of the hand-written container walks (JPEG markers, PNG chunks, WebP RIFF, TIFF via
/// libexif) and of everything behind `MediaProbe.probe`: a damaged file must give a `MediaError` or a result, never
/// a crash, a hang or an out-of-bounds read. (A crash fails the whole test process, which is the point.)
@Suite struct FuzzTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let photos = [
        "100CANON/IMG_0001.JPG", "101APPLE/IMG_4101.JPG", "101APPLE/IMG_4102.png", "102TABLET/20260702_101500.webp",
        "103MIXED/SCAN0001.TIF", "101APPLE/IMG_4103.HEIC",
    ]

    /// Mutations that hit length fields and structure: flips, overwrites with boundary values, truncation,
    /// duplication of a slice, and insertion of random bytes.
    static func mutate(_ data: Data, _ random: inout SplitMix) -> Data {
        var bytes = [UInt8](data)
        for _ in 0..<Int.random(in: 1...8, using: &random) {
            guard !bytes.isEmpty else { break }
            // Favour the first 2 KiB, where headers and length fields live.
            let limit = Bool.random(using: &random) ? min(bytes.count, 2048) : bytes.count
            let at = Int.random(in: 0..<limit, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0: bytes[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
            case 1: bytes[at] = [0x00, 0xFF, 0x7F, 0x80, 0xFE][Int.random(in: 0..<5, using: &random)]
            case 2: bytes.removeSubrange(at...)
            case 3:
                let end = min(bytes.count, at + Int.random(in: 1...64, using: &random))
                bytes.insert(contentsOf: bytes[at..<end], at: at)
            case 4: bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }, at: at)
            default:
                for i in at..<min(bytes.count, at + 4) { bytes[i] = 0xFF }
            }
        }
        return Data(bytes)
    }

    /// The files under `dir` that exiftool does not read as the pristine sample's format (another file type, or
    /// an error): one batch run, so 1,000 files cost one Perl start.
    static func exiftoolRejects(in dir: URL) throws -> Set<String> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/exiftool")
        process.arguments = ["-json", "-ext", "*", "-FileType", "-Error", "-FileName", dir.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let rows = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]], "exiftool gave no JSON")
        let expected = rows.first { $0["FileName"] as? String == "pristine" }?["FileType"] as? String
        #expect(expected != nil, "exiftool read the pristine sample")
        return Set(
            rows.compactMap { row in
                row["Error"] == nil && row["FileType"] as? String == expected ? nil : row["FileName"] as? String
            })
    }

    @Test(arguments: photos)
    func damagedPhotosNeverCrashTheProbe(sample: String) throws {
        let original = try Data(contentsOf: try ProbeTests.samples.appendingPathComponent(sample))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var random = SplitMix(state: sample.utf8.reduce(12345) { $0 &* 31 &+ UInt64($1) })
        // The undamaged sample is read: a probe that rejected everything would pass the checks below.
        let pristine = dir.appendingPathComponent("pristine").path
        try original.write(to: URL(fileURLWithPath: pristine))
        _ = try MediaProbe.probe(path: pristine)
        var rejected: Set<String> = []
        for round in 0..<1000 {
            let name = "case\(round)"
            let path = dir.appendingPathComponent(name).path
            try Self.mutate(original, &random).write(to: URL(fileURLWithPath: path))
            do {
                _ = try MediaProbe.probe(path: path)
            } catch {
                rejected.insert(name)
                #expect(!error.message.isEmpty)
                #expect(error.message.contains(name) || error.code == .notMedia, "\(error.message)")
            }
        }
        // A wrong result would be accepting damage that an independent reader refuses: every file exiftool cannot
        // read at all must be refused by the probe too (none may be taken in as a photo).
        let referenceRejects = try Self.exiftoolRejects(in: dir).subtracting(["pristine"])
        let acceptedDespiteReference = referenceRejects.subtracting(rejected)
        print("fuzz \(sample): probe rejected \(rejected.count), exiftool \(referenceRejects.count), accepted despite exiftool \(acceptedDespiteReference.count)")
        #expect(rejected.count >= referenceRejects.count, "\(sample): rejected \(rejected.count) < exiftool's \(referenceRejects.count)")
        // File by file too. One known, correct difference: in WebP, exiftool gives up at an unknown first chunk
        // (a mutated `VP8X`), while the RIFF walk skips unknown chunks, as RIFF says, and finds the image chunk.
        if !sample.hasSuffix(".webp") {
            #expect(acceptedDespiteReference.isEmpty, "\(sample): read as a photo although exiftool cannot: \(acceptedDespiteReference.sorted())")
        }
    }
}
