-- The team desk restored from an old backup (issue 28): its audit rows after the restore continue
-- the device's chain on the server, whose sequence ran on past the backup. The server's sequence
-- number of an audit row is its id plus this offset (0 until a restore is noticed).
ALTER TABLE sync_state ADD COLUMN audit_offset INTEGER NOT NULL DEFAULT 0;
