public import Foundation
import GRDB

/// Seals an observation's context (activity, setting, equipment) and makes the activity's and setting's lookup
/// tags: supplied by the library, which holds the key, for the migration that seals context already stored.
public typealias ContextSealer = @Sendable (String?, String?, String?) throws -> (Data?, Data?, Data?)

/// Seals a vocabulary term an older library stored as text: its token and its sealed text.
public typealias TermSealer = @Sendable (String) throws -> StoredTerm

/// What migrations need the library's key for: sealing what older libraries stored in plain text.
public struct LegacySealer: Sendable {
    /// Seals an observation's activity, setting and equipment (sealed context, activity tag, setting tag).
    public var context: ContextSealer
    /// Seals a school's own response term.
    public var term: TermSealer
    /// Creates a sealer from the two operations.
    public init(context: @escaping ContextSealer, term: @escaping TermSealer) {
        self.context = context
        self.term = term
    }
    /// For a catalogue that is always created current (tests of the store alone).
    public static let none = LegacySealer(
        context: { _, _, _ in (nil, nil, nil) }, term: { _ in throw CatalogueError(code: .corruptRow, message: "No key to seal a term.") })
}

extension CatalogueDatabase {
    /// The schema, one migration per version; never edit a shipped migration, add a new one.
    static func migrator(macs: RowAuthentication, legacy: LegacySealer) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE ingest_batch (
                        id INTEGER PRIMARY KEY,
                        started_at DATETIME NOT NULL,
                        finished_at DATETIME,
                        actor TEXT NOT NULL,
                        ingested INTEGER NOT NULL DEFAULT 0,
                        duplicates INTEGER NOT NULL DEFAULT 0,
                        skipped INTEGER NOT NULL DEFAULT 0,
                        failed INTEGER NOT NULL DEFAULT 0,
                        bytes INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE TABLE device (
                        id INTEGER PRIMARY KEY,
                        make TEXT NOT NULL,
                        model TEXT NOT NULL,
                        UNIQUE (make, model)
                    );
                    CREATE TABLE asset (
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('photo', 'video')),
                        content_type TEXT NOT NULL,
                        byte_size INTEGER NOT NULL,
                        captured_at DATETIME NOT NULL,
                        utc_offset_seconds INTEGER,
                        capture_time_source TEXT NOT NULL,
                        make TEXT,
                        model TEXT,
                        device_id INTEGER REFERENCES device (id),
                        width INTEGER,
                        height INTEGER,
                        rotation INTEGER NOT NULL DEFAULT 0,
                        mirrored BOOLEAN NOT NULL DEFAULT 0,
                        duration_seconds DOUBLE,
                        video_codec TEXT,
                        audio_codec TEXT,
                        frame_rate DOUBLE,
                        gps_sealed BLOB,
                        original_name_sealed BLOB NOT NULL,
                        raw_metadata_sealed BLOB,
                        content_hash BLOB NOT NULL UNIQUE,
                        partial_hash BLOB NOT NULL,
                        wrapped_key BLOB NOT NULL,
                        batch_id INTEGER REFERENCES ingest_batch (id),
                        ingested_at DATETIME NOT NULL
                    );
                    CREATE INDEX asset_captured_at ON asset (captured_at);
                    CREATE INDEX asset_partial_hash ON asset (partial_hash);
                    CREATE TABLE source_file (
                        fingerprint BLOB PRIMARY KEY NOT NULL,
                        asset_id TEXT NOT NULL REFERENCES asset (id) ON DELETE CASCADE
                    ) WITHOUT ROWID;
                    CREATE INDEX source_file_asset ON source_file (asset_id);
                    CREATE TABLE audit (
                        seq INTEGER PRIMARY KEY NOT NULL,
                        at DATETIME NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        asset_id TEXT,
                        detail TEXT NOT NULL,
                        previous_hash BLOB NOT NULL,
                        hash BLOB NOT NULL
                    );
                    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    """
            )
        }

        migrator.registerMigration("v2-observations") { db in
            try db.execute(
                sql: """
                    -- People: every identifying value is sealed; `lookup` is a keyed hash of the handle so it can be
                    -- unique and found without being stored. Year group and class stay plain for grouping.
                    CREATE TABLE pupil (
                        id INTEGER PRIMARY KEY,
                        lookup BLOB NOT NULL UNIQUE,
                        upn_lookup BLOB UNIQUE,
                        profile_sealed BLOB NOT NULL,
                        year_group TEXT,
                        class_name TEXT,
                        created_at DATETIME NOT NULL,
                        updated_at DATETIME NOT NULL
                    );
                    CREATE TABLE staff (
                        id INTEGER PRIMARY KEY,
                        lookup BLOB NOT NULL UNIQUE,
                        profile_sealed BLOB NOT NULL,
                        created_at DATETIME NOT NULL
                    );
                    -- Consent history: rows are only ever added; the decision for a date is the latest row in effect.
                    CREATE TABLE consent (
                        id INTEGER PRIMARY KEY,
                        pupil_id INTEGER NOT NULL REFERENCES pupil (id),
                        purpose TEXT NOT NULL
                            CHECK (purpose IN ('capture', 'family-sharing', 'appear-in-others', 'moderation', 'training')),
                        decision TEXT NOT NULL CHECK (decision IN ('granted', 'refused', 'withdrawn')),
                        effective_from TEXT NOT NULL,
                        recorded_at DATETIME NOT NULL,
                        recorded_by TEXT NOT NULL,
                        note_sealed BLOB
                    );
                    CREATE INDEX consent_pupil ON consent (pupil_id, purpose, effective_from);
                    CREATE TRIGGER consent_no_update BEFORE UPDATE ON consent
                        BEGIN SELECT RAISE(ABORT, 'consent history is append-only'); END;
                    CREATE TABLE vocabulary (
                        kind TEXT NOT NULL,
                        term TEXT NOT NULL,
                        builtin BOOLEAN NOT NULL DEFAULT 0,
                        PRIMARY KEY (kind, term)
                    ) WITHOUT ROWID;
                    -- A moment is a stretch of a video (or a whole photo, with no range).
                    CREATE TABLE moment (
                        id INTEGER PRIMARY KEY,
                        asset_id TEXT NOT NULL REFERENCES asset (id),
                        start_ms INTEGER,
                        end_ms INTEGER,
                        occurred_at DATETIME NOT NULL,
                        import_key BLOB UNIQUE,
                        created_at DATETIME NOT NULL,
                        created_by TEXT NOT NULL,
                        CHECK (start_ms IS NULL OR (start_ms >= 0 AND end_ms >= start_ms))
                    );
                    CREATE INDEX moment_asset ON moment (asset_id, start_ms);
                    -- One pupil's observation in a moment. Edits add a row and point the old one at it; untagging
                    -- stamps removed_at. The current view is `replaced_by IS NULL AND removed_at IS NULL`.
                    -- `areas` is a bit set: exploration 1, realisation 2, anticipation 4, persistence 8, initiation 16.
                    CREATE TABLE observation (
                        id INTEGER PRIMARY KEY,
                        moment_id INTEGER NOT NULL REFERENCES moment (id),
                        pupil_id INTEGER NOT NULL REFERENCES pupil (id),
                        occurred_at DATETIME NOT NULL,
                        areas INTEGER NOT NULL DEFAULT 0,
                        intent TEXT CHECK (intent IN ('intentional', 'reflexive', 'unsure')),
                        prompt TEXT CHECK (prompt IN ('independent', 'gestural', 'verbal', 'modelled', 'physical')),
                        activity TEXT,
                        setting TEXT,
                        equipment TEXT,
                        outcome INTEGER,
                        note_sealed BLOB,
                        source_sealed BLOB,
                        observer TEXT NOT NULL,
                        created_at DATETIME NOT NULL,
                        replaced_by INTEGER REFERENCES observation (id),
                        removed_at DATETIME,
                        removed_by TEXT
                    );
                    CREATE INDEX observation_current_pupil ON observation (pupil_id, occurred_at)
                        WHERE replaced_by IS NULL AND removed_at IS NULL;
                    CREATE INDEX observation_current_time ON observation (occurred_at)
                        WHERE replaced_by IS NULL AND removed_at IS NULL;
                    CREATE INDEX observation_moment ON observation (moment_id);
                    CREATE TABLE observation_response (
                        observation_id INTEGER NOT NULL REFERENCES observation (id),
                        response TEXT NOT NULL,
                        PRIMARY KEY (observation_id, response)
                    ) WITHOUT ROWID;
                    CREATE INDEX observation_response_term ON observation_response (response, observation_id);
                    CREATE TABLE observation_staff (
                        observation_id INTEGER NOT NULL REFERENCES observation (id),
                        staff_id INTEGER NOT NULL REFERENCES staff (id),
                        PRIMARY KEY (observation_id, staff_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX observation_staff_member ON observation_staff (staff_id, observation_id);
                    -- Who can be seen in an asset, and whether staff have checked that nobody else is.
                    CREATE TABLE appearance (
                        asset_id TEXT NOT NULL REFERENCES asset (id),
                        pupil_id INTEGER NOT NULL REFERENCES pupil (id),
                        added_at DATETIME NOT NULL,
                        added_by TEXT NOT NULL,
                        PRIMARY KEY (asset_id, pupil_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX appearance_pupil ON appearance (pupil_id);
                    CREATE TABLE appearance_review (
                        asset_id TEXT PRIMARY KEY NOT NULL REFERENCES asset (id),
                        none_else BOOLEAN NOT NULL,
                        reviewed_at DATETIME NOT NULL,
                        reviewed_by TEXT NOT NULL
                    );
                    ALTER TABLE audit ADD COLUMN pupil_id INTEGER;
                    CREATE INDEX audit_pupil ON audit (pupil_id);
                    """
            )
        }
        migrator.registerMigration("v3-derived-clips") { db in
            try db.execute(
                sql: """
                    -- A clip stored back into the vault (`clip --into-vault`) and the range of the video it was cut from.
                    CREATE TABLE derived_asset (
                        asset_id TEXT PRIMARY KEY NOT NULL REFERENCES asset (id),
                        source_asset_id TEXT NOT NULL REFERENCES asset (id),
                        start_ms INTEGER NOT NULL,
                        end_ms INTEGER NOT NULL,
                        exact BOOLEAN NOT NULL,
                        created_at DATETIME NOT NULL,
                        created_by TEXT NOT NULL
                    );
                    CREATE INDEX derived_asset_source ON derived_asset (source_asset_id);
                    """
            )
        }
        migrator.registerMigration("v4-audit-notes") { db in
            // A sealed note on an audit entry: the reason given when consent was overridden (break-glass).
            try db.execute(sql: "ALTER TABLE audit ADD COLUMN note_sealed BLOB")
        }
        migrator.registerMigration("v5-row-macs") { db in
            // Every row that carries meaning gets a keyed MAC (Docs/row-authentication.md); rows already there are
            // authenticated once, here, with the library's key. Free-text context is sealed first (with keyed tags
            // for find's equality filters), so no plaintext survives the migration and none is authenticated.
            // The tables as they were at v5 (later tables carry row_mac from their creation).
            let v5Tables = ["asset", "pupil", "staff", "consent", "moment", "observation", "appearance", "appearance_review"]
            for table in v5Tables {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN row_mac BLOB")
            }
            try db.execute(
                sql: """
                    ALTER TABLE observation ADD COLUMN context_sealed BLOB;
                    ALTER TABLE observation ADD COLUMN activity_tag BLOB;
                    ALTER TABLE observation ADD COLUMN setting_tag BLOB;
                    """)
            let plain = try Row.fetchAll(
                db,
                sql: "SELECT id, activity, setting, equipment FROM observation WHERE activity IS NOT NULL OR setting IS NOT NULL OR equipment IS NOT NULL")
            for row in plain {
                let (sealed, activityTag, settingTag) = try legacy.context(row["activity"], row["setting"], row["equipment"])
                try db.execute(
                    sql: """
                        UPDATE observation SET context_sealed = ?, activity_tag = ?, setting_tag = ?, activity = NULL,
                            setting = NULL, equipment = NULL WHERE id = ?
                        """,
                    arguments: [sealed, activityTag, settingTag, row["id"] as Int64])
            }
            // The register refuses UPDATE; lifted for this one authenticated pass, then put back.
            try db.execute(sql: "DROP TRIGGER consent_no_update")
            let transaction = SQLiteTransaction(db: db, auditHasher: { _, _ in Data() }, head: nil, macs: macs)
            for table in v5Tables { try transaction.authenticateAll(table) }
            try db.execute(
                sql: """
                    CREATE TRIGGER consent_no_update BEFORE UPDATE ON consent
                        BEGIN SELECT RAISE(ABORT, 'consent history is append-only'); END
                    """)
        }
        migrator.registerMigration("v6-sealed-vocabulary") { db in
            // A school's own response terms are free text ("hand flapping before a seizure"): each is stored as a
            // keyed token, in the vocabulary and in every observation that uses it, with the text sealed to the token.
            try db.execute(sql: "ALTER TABLE vocabulary ADD COLUMN term_sealed BLOB")
            let plain = try String.fetchAll(db, sql: "SELECT term FROM vocabulary WHERE term_sealed IS NULL")
            guard !plain.isEmpty else { return }
            let transaction = SQLiteTransaction(db: db, auditHasher: { _, _ in Data() }, head: nil, macs: macs)
            // Only observations that authenticate now are re-authenticated: a changed row stays found.
            let authentic = try transaction.authenticatedObservationIDs()
            for term in plain {
                let stored = try legacy.term(term)
                try db.execute(
                    sql: "UPDATE vocabulary SET term = ?, term_sealed = ? WHERE term = ?", arguments: [stored.token, stored.sealed, term])
                try db.execute(sql: "UPDATE observation_response SET response = ? WHERE response = ?", arguments: [stored.token, term])
            }
            try transaction.authenticateObservations(authentic)
        }
        migrator.registerMigration("v7-progress-model") { db in
            // What the guidance asks schools to look at (seed 001, 4.7–5.3): the cue and whether it was new, the
            // support, the reinforcement; a second member of staff's independent coding (for moderation, never
            // evidence); and the teacher's judgement of how established a pupil is in an area over a period.
            // New observation columns are authenticated as "later columns" (Docs/row-authentication.md), so
            // existing rows keep their MACs.
            try db.execute(
                sql: """
                    ALTER TABLE observation ADD COLUMN cues TEXT;
                    ALTER TABLE observation ADD COLUMN cue_novelty TEXT CHECK (cue_novelty IN ('new', 'familiar'));
                    ALTER TABLE observation ADD COLUMN supports TEXT;
                    ALTER TABLE observation ADD COLUMN reinforcement TEXT
                        CHECK (reinforcement IN ('natural', 'artificial', 'none'));
                    ALTER TABLE observation ADD COLUMN coder TEXT CHECK (coder IN ('second'));
                    -- A judgement is never edited: a new one for the same pupil, area and period replaces it, and the
                    -- history stays.
                    CREATE TABLE judgement (
                        id INTEGER PRIMARY KEY,
                        pupil_id INTEGER NOT NULL REFERENCES pupil (id),
                        area TEXT NOT NULL
                            CHECK (area IN ('exploration', 'realisation', 'anticipation', 'persistence', 'initiation')),
                        period TEXT NOT NULL,
                        text_sealed BLOB NOT NULL,
                        evidence TEXT NOT NULL DEFAULT '',
                        recorded_at DATETIME NOT NULL,
                        recorded_by TEXT NOT NULL,
                        row_mac BLOB
                    );
                    CREATE INDEX judgement_pupil ON judgement (pupil_id, period, area);
                    """)
        }
        migrator.registerMigration("v8-observations-from-home") { db in
            // An observation from home (a family's report, entered by staff) has a moment with no asset: SQLite cannot
            // drop NOT NULL in place, so the table is rebuilt as it is (ids, values and MACs kept); GRDB defers the
            // foreign-key checks to the end of the migration. `origin` is a later column of the observation.
            try db.execute(
                sql: """
                    CREATE TABLE moment_rebuilt (
                        id INTEGER PRIMARY KEY,
                        asset_id TEXT REFERENCES asset (id),
                        start_ms INTEGER,
                        end_ms INTEGER,
                        occurred_at DATETIME NOT NULL,
                        import_key BLOB UNIQUE,
                        created_at DATETIME NOT NULL,
                        created_by TEXT NOT NULL,
                        row_mac BLOB,
                        CHECK (start_ms IS NULL OR (start_ms >= 0 AND end_ms >= start_ms)),
                        CHECK (asset_id IS NOT NULL OR start_ms IS NULL)
                    );
                    INSERT INTO moment_rebuilt (id, asset_id, start_ms, end_ms, occurred_at, import_key, created_at, created_by, row_mac)
                        SELECT id, asset_id, start_ms, end_ms, occurred_at, import_key, created_at, created_by, row_mac FROM moment;
                    DROP TABLE moment;
                    ALTER TABLE moment_rebuilt RENAME TO moment;
                    CREATE INDEX moment_asset ON moment (asset_id, start_ms);
                    ALTER TABLE observation ADD COLUMN origin TEXT CHECK (origin IN ('family'));
                    """)
        }
        return migrator
    }
}
