import GRDB

extension CatalogueDatabase {
    /// The schema, one migration per version; never edit a shipped migration, add a new one.
    static var migrator: DatabaseMigrator {
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
        return migrator
    }
}
