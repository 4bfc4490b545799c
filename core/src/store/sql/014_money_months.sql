-- 014: the money invoiced and accepted, summed per month for the statistics. Over a decade a desk
-- has more than a million invoice lines; the statistics without filters read these sums instead
-- (a few hundred rows a month: one per grouping key). Triggers mark a month whose lines, invoices
-- or cases changed; the statistics compute the marked months again before they read
-- (stats_money::refresh). With a filter, or for a period that is not whole months, the statistics
-- still read the lines themselves.

CREATE TABLE stats_money (
    month     TEXT NOT NULL,               -- yyyy-mm of the invoice date
    dim       TEXT NOT NULL,               -- '' (all), route, county, municipality, provider, activity
    key       TEXT NOT NULL,
    invoiced  INTEGER NOT NULL,
    accepted  INTEGER NOT NULL,
    PRIMARY KEY (month, dim, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE stats_money_dirty (
    month TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

INSERT OR IGNORE INTO stats_money_dirty (month)
SELECT DISTINCT substr(invoice_date, 1, 7) FROM invoice;

CREATE TRIGGER stats_money_line_insert AFTER INSERT ON invoice_line
BEGIN
    INSERT OR IGNORE INTO stats_money_dirty (month)
    SELECT substr(invoice_date, 1, 7) FROM invoice WHERE id = NEW.invoice_id;
END;
CREATE TRIGGER stats_money_line_update
AFTER UPDATE OF invoice_id, case_id, activity_code, amount_cents, accepted_cents ON invoice_line
BEGIN
    INSERT OR IGNORE INTO stats_money_dirty (month)
    SELECT substr(invoice_date, 1, 7) FROM invoice WHERE id IN (OLD.invoice_id, NEW.invoice_id);
END;
CREATE TRIGGER stats_money_line_delete AFTER DELETE ON invoice_line
BEGIN
    INSERT OR IGNORE INTO stats_money_dirty (month)
    SELECT substr(invoice_date, 1, 7) FROM invoice WHERE id = OLD.invoice_id;
END;

CREATE TRIGGER stats_money_invoice_update
AFTER UPDATE OF invoice_date, status, provider_id ON invoice
BEGIN
    INSERT OR IGNORE INTO stats_money_dirty (month)
    VALUES (substr(OLD.invoice_date, 1, 7)), (substr(NEW.invoice_date, 1, 7));
END;
CREATE TRIGGER stats_money_invoice_delete AFTER DELETE ON invoice
BEGIN
    INSERT OR IGNORE INTO stats_money_dirty (month) VALUES (substr(OLD.invoice_date, 1, 7));
END;

-- A case's route and municipality are grouping keys of its lines.
CREATE TRIGGER stats_money_case_update
AFTER UPDATE OF route_kind, kov_municipality_code, child_id ON srt_case
BEGIN
    INSERT OR IGNORE INTO stats_money_dirty (month)
    SELECT DISTINCT substr(i.invoice_date, 1, 7)
    FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id WHERE l.case_id = NEW.id;
END;
CREATE TRIGGER stats_money_child_update AFTER UPDATE OF municipality_code ON child
BEGIN
    INSERT OR IGNORE INTO stats_money_dirty (month)
    SELECT DISTINCT substr(i.invoice_date, 1, 7)
    FROM srt_case c JOIN invoice_line l ON l.case_id = c.id JOIN invoice i ON i.id = l.invoice_id
    WHERE c.child_id = NEW.id;
END;
