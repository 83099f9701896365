public import Catalogue
public import Foundation
public import Vault
import Synchronization

/// An unlocked evidence library: its folder, master key and catalogue.
///
/// ```swift
/// let (library, recoveryKey) = try Library.create(at: url, passphrase: "correct horse")
/// let report = try await library.ingest(paths: ["/media/card/DCIM"])
/// ```
public final class Library: Sendable {
    /// Where the library lives.
    public let layout: LibraryLayout
    /// The unlocked master key.
    public let master: MasterKey
    /// The catalogue's stores.
    public let catalogue: any CatalogueStore
    /// The roster and staff, decrypted once per process and dropped whenever this process changes them, so one
    /// command (a find, an import) does not open every sealed profile twice.
    let people = Mutex<PeopleCache>(PeopleCache())

    private init(layout: LibraryLayout, master: MasterKey) throws(EvidenceError) {
        self.layout = layout
        self.master = master
        do {
            let anchor = AuditAnchor(path: layout.auditAnchor.path, master: master)
            catalogue = try CatalogueDatabase(
                path: layout.catalogue.path,
                auditHasher: { previous, fields in master.auditHash(previous: previous, fields: fields) },
                rowMAC: { canonical in master.rowMAC(canonical) },
                legacy: LegacySealer(
                    context: { activity, setting, equipment in
                        // Context stored before it was sealed: normalised as tagging stores it.
                        func clean(_ text: String?) -> String? { text?.trimmingCharacters(in: .whitespaces).lowercased() }
                        return try ObservationContext.seal(
                            activity: clean(activity), setting: clean(setting), equipment: clean(equipment), master: master)
                    },
                    term: { term in try SchoolVocabulary.store(term, master: master) }),
                onAuditHead: { position in anchor.advance(to: position) })
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Creates a new library at `root` (which must not already hold one) and returns it with its recovery key.
    ///
    /// The recovery key is shown once; it opens the library if every passphrase is lost.
    public static func create(
        at root: URL,
        passphrase: String,
        strength: KeyDerivationStrength = .moderate,
        createdBy actor: String
    ) throws(EvidenceError) -> (library: Library, recoveryKey: String) {
        let layout = LibraryLayout(root: root)
        let fm = FileManager.default
        guard !fm.fileExists(atPath: layout.keySlots.path) else {
            throw EvidenceError(
                .usage, "\(root.path) already holds an evidence library.", field: Field("library"), value: root.path,
                remedy: .chooseAnotherLibrary)
        }
        guard passphrase.count >= 8 else {
            throw EvidenceError(
                .usage, "The passphrase is too short: use at least 8 characters (a few words is best).",
                field: Field("passphrase"))
        }
        do {
            for dir in [layout.root, layout.keySlots.deletingLastPathComponent(), layout.vault, layout.tmp] {
                try fm.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            let master = try MasterKey.generate()
            let (slots, recovery) = try KeySlots.create(master: master, passphrase: passphrase, strength: strength)
            let library = try Library(layout: layout, master: master)
            try slots.save(to: layout.keySlots)
            try library.catalogue.write { store in
                try store.appendAudit(AuditDraft(actor: actor, action: "init", detail: "kdf=\(strength.rawValue) anchored"))
            }
            return (library, recovery)
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Opens and unlocks the library at `root` with a passphrase or the recovery key.
    ///
    /// The passphrase is asked for only once the folder is known to hold a library, so a mistyped `root` is
    /// reported as such rather than as a passphrase prompt.
    public static func open(
        at root: URL, passphrase: @autoclosure () throws(EvidenceError) -> String
    ) throws(EvidenceError) -> Library {
        let layout = LibraryLayout(root: root)
        guard FileManager.default.fileExists(atPath: layout.keySlots.path) else {
            throw EvidenceError(
                .usage, "There is no evidence library at \(root.path).", field: Field("library"), value: root.path,
                remedy: .createLibrary(path: root.path))
        }
        let secret = try passphrase()
        do {
            let slots = try KeySlots.load(from: layout.keySlots)
            let master = try slots.unlock(with: secret)
            let library = try Library(layout: layout, master: master)
            library.anchorIfNeeded()
            library.auditUpgrades()
            return library
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// Opens the library with the key held by a running `evidence unlock` agent, if there is one and its key checks
    /// against this library's audit chain; nil otherwise (then ask for the passphrase).
    public static func openUsingAgent(at root: URL, socket: AgentSocket) -> Library? {
        let layout = LibraryLayout(root: root)
        guard FileManager.default.fileExists(atPath: layout.keySlots.path), let master = KeyAgent.fetchKey(at: socket),
            let library = try? Library(layout: layout, master: master), library.catalogue.firstAuditEntryChecks()
        else { return nil }
        // Anchoring first: its entry says the chain is anchored, so a later missing anchor is found.
        library.anchorIfNeeded()
        library.auditUpgrades()
        return library
    }

    /// Starts a key agent for this library (`evidence unlock`): a copy of this program, detached, given the key
    /// through a pipe (never the command line or the environment). Returns when the agent answers.
    ///
    /// `arguments` are the front end's own way of starting its agent mode (the CLI's `agent` command).
    public func startAgent(
        program: String, arguments: [String], socket: AgentSocket, seconds: Int, actor: String
    ) throws(EvidenceError) {
        KeyAgent.stop(at: socket)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        // An empty environment (a passphrase in EVIDENCE_PASSPHRASE would otherwise sit in /proc/PID/environ for
        // hours), except where the agent's socket lives, which the clients work out the same way.
        process.environment = socket.runtimeDirectory.map { ["XDG_RUNTIME_DIR": $0] } ?? [:]
        let pipe = Pipe()
        process.standardInput = pipe.fileHandleForReading
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw EvidenceError(.failure, "Could not start the key agent: \(error.localizedDescription)")
        }
        let fd = pipe.fileHandleForWriting.fileDescriptor
        let written = master.withRawKeyForAgent { bytes -> Int in
            guard let base = bytes.baseAddress else { return -1 }
            return write(fd, base, bytes.count)
        }
        try? pipe.fileHandleForWriting.close()
        guard written == 32 else { throw EvidenceError(.failure, "Could not hand the key to the agent.") }
        for _ in 0..<100 where !KeyAgent.isRunning(at: socket) { usleep(20_000) }
        guard KeyAgent.isRunning(at: socket) else {
            throw EvidenceError(
                .failure, "The key agent did not start (is \(socket.path) writable?).")
        }
        do {
            try catalogue.write { store in
                try store.appendAudit(AuditDraft(actor: actor, action: "unlock", detail: "seconds=\(seconds)"))
            }
        } catch {
            throw EvidenceError.from(error)
        }
    }

    /// What upgrading an older catalogue did, in words, for the person opening it (empty when nothing was upgraded).
    public var upgradeNotes: [String] {
        catalogue.upgrades.compactMap { upgrade in
            switch upgrade {
            case "v4-audit-notes": "the audit log can now keep a sealed reason for a consent override"
            case "v5-row-macs":
                "every row that carries meaning (assets, pupils, staff, consent, moments, observations, appearances) is now authenticated, and free-text context is sealed"
            case "v6-sealed-vocabulary": "the school's own response terms are now sealed"
            case "v7-progress-model": "observations can now record the cue, support, reinforcement and state, second codings and judgements"
            case "v8-observations-from-home": "observations from home (no media) can now be recorded"
            default: nil
            }
        }
    }

    /// Records in the audit log what an upgrade of an older catalogue did.
    func auditUpgrades() {
        guard !catalogue.upgrades.isEmpty else { return }
        try? catalogue.write { store in
            try store.appendAudit(
                AuditDraft(actor: "evidence", action: "catalogue-upgrade", detail: catalogue.upgrades.joined(separator: ",")))
        }
    }

    /// Forgets the decrypted roster and staff after a change to them.
    func forgetPeople() {
        people.withLock { $0 = PeopleCache() }
    }

    /// Takes the library's write lock for the life of the returned value.
    func lock() throws(EvidenceError) -> LibraryLock {
        try LibraryLock(path: layout.lock.path)
    }
}

/// What ``Library/people`` holds.
struct PeopleCache {
    var pupils: PupilDirectory?
    var staff: [StaffMember]?
}
