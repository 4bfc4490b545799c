-- 016: the monthly money also kept per combination of grouping keys (route, county, municipality,
-- provider, activity), so that the statistics with filters read sums instead of every invoice line
-- of the period (a year of a national desk: ~130 000 lines). The sums per single key (014) still
-- answer the statistics without filters: a month has a few hundred of them against a few thousand
-- combinations. Both are computed from the same pass over a month's lines, for the months that
-- 014's triggers mark; every month is marked here so that the first statistics fill the new table.

CREATE TABLE stats_money_cell (
    month        TEXT NOT NULL,            -- yyyy-mm of the invoice date
    route        TEXT NOT NULL,            -- the case's; '' when the line names no known case
    county       TEXT NOT NULL,
    municipality TEXT NOT NULL,
    provider     TEXT NOT NULL,            -- the invoice's provider id
    activity     TEXT NOT NULL,            -- the line's own activity
    invoiced     INTEGER NOT NULL,
    accepted     INTEGER NOT NULL,
    PRIMARY KEY (month, route, county, municipality, provider, activity)
) STRICT, WITHOUT ROWID;

INSERT OR IGNORE INTO stats_money_dirty (month)
SELECT DISTINCT substr(invoice_date, 1, 7) FROM invoice;

-- The cases with a given assessed activity (the statistics' activity filter), and every case's
-- activities from a narrow index instead of the rows with their hours and timestamps.
CREATE INDEX assessment_activity_code ON assessment_activity(code, case_id);
