-- A pull's cases sent whole and its purges count only once the desk has applied them (issue 28,
-- "nothing lost"). Before, a pull recorded in device_cases the cases it sent whole, and forgot
-- the ones it purged, in its own transaction: when its answer never reached the desk (the
-- network cut, the desk's timeout on a large page, the desk closed while applying), the server
-- took the desk to hold cases it never received — their rows never came again — and to have let
-- go of cases it still held — a substitute's desk kept the colleague's cases after the
-- substitution ended. Now each pull answers with its page number; the desk stores the number
-- of the last page it applied in the same transaction as the page, and names it (`ack`) at its
-- next pull; what a page sent that the desk has not confirmed is sent again.

-- The page that sent the case whole and is not confirmed yet (NULL: confirmed, or the desk made
-- the case itself).
ALTER TABLE device_cases ADD COLUMN sent_page bigint;
GRANT UPDATE (sent_page) ON device_cases TO srt_service;

-- Purges sent and not confirmed yet.
CREATE TABLE device_purges (
    device_id  bigint NOT NULL REFERENCES devices(id),
    member_id  bigint NOT NULL REFERENCES members(id),
    case_id    uuid NOT NULL,
    page       bigint NOT NULL,
    PRIMARY KEY (device_id, case_id)
);
ALTER TABLE device_purges ENABLE ROW LEVEL SECURITY;
CREATE POLICY device_purges_mine ON device_purges FOR ALL
    USING (member_id = srt_me()) WITH CHECK (member_id = srt_me());
GRANT SELECT, INSERT, DELETE ON device_purges TO srt_service;

-- Page numbers, increasing: a desk's `ack` confirms its page and every earlier one.
CREATE SEQUENCE pull_pages;
GRANT USAGE ON SEQUENCE pull_pages TO srt_service;
