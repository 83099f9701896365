import EvidenceKit

/// A session for tests that call EvidenceKit directly: acting as `test-teacher`, put on the staff list first.
enum TestSession {
    static func make(_ library: Library) throws -> Session {
        let setup = try Session(library: library, acting: nil, login: "test-setup")
        try StaffList(setup).addStaff(handle: "test-teacher", name: "Test Teacher", role: nil)
        return try Session(library: library, acting: "test-teacher", login: "test-setup")
    }
}
