import Foundation
import TestSupport
import Testing

/// `evidence probe` reads files in parallel and takes folders: the same answer as naming each file, in order, and a
/// damaged file is named on stderr with exit 1 while the rest are still read.
struct ProbeCommandTests: CLIHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-probe-\(UUID().uuidString)")

    @Test func aFolderIsItsFilesAndADamagedOneIsNamed() throws {
        let folder = try Fixtures.dcim().appendingPathComponent("102TABLET")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
        let byFolder = try evidence("probe", folder.path)
        let byFiles = try evidence(arguments: ["probe"] + names.map { folder.appendingPathComponent($0).path })
        #expect(byFolder.status == 0 && byFiles.status == 0, "\(byFolder.stderr) \(byFiles.stderr)")
        #expect(byFolder.stdout == byFiles.stdout, "the same JSON")
        #expect(try byFolder.json().count == names.count)
        let damaged = try Fixtures.dcim().appendingPathComponent("104DAMAGED")
        let mixed = try evidence("probe", damaged.path, folder.appendingPathComponent(names[0]).path)
        #expect(mixed.status == 1, "some failed")
        #expect(try mixed.json()[folder.appendingPathComponent(names[0]).path] != nil, "the good one is still read")
        #expect(mixed.stderr.contains("20260701_094600.mp4") || mixed.stderr.contains("IMG_0099.JPG"), "\(mixed.stderr)")
    }
}
