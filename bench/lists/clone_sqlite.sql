-- Clone the real cases into many, by the plan of plan.py (table
-- bench_clone_plan: case_no, source, region, days), on SQLite. The list
-- reads only case_file (hd_casestore_case_list and its covering index
-- case_file_region), so a clone is as good as a real case for it; the
-- application, its members and the case's events are copied too, so that
-- a clone opens like any case. Every date and time moves back `days`.
-- clone_pg.sql is the same for PostgreSQL. The plan comes on standard
-- input.
.bail on
CREATE TEMP TABLE bench_clone_plan (case_no TEXT PRIMARY KEY,
    source TEXT NOT NULL, region TEXT NOT NULL, days INTEGER NOT NULL);
.import --csv /dev/stdin bench_clone_plan
BEGIN;
INSERT INTO application (application_no, program, region, applied_on,
    refused_field, refused_reason, json, recorded_at)
SELECT p.case_no, a.program, p.region,
    date(a.applied_on, '-' || p.days || ' days'),
    a.refused_field, a.refused_reason,
    replace(replace(replace(a.json,
        '"' || a.application_no || '"', '"' || p.case_no || '"'),
        '"region":"' || a.region || '"', '"region":"' || p.region || '"'),
        '"applied_on":"' || a.applied_on || '"',
        '"applied_on":"' || date(a.applied_on, '-' || p.days || ' days') || '"'),
    a.recorded_at - p.days * 86400
FROM bench_clone_plan p JOIN application a ON a.application_no = p.source;

INSERT INTO application_member (application_no, pos, pid)
SELECT p.case_no, m.pos, m.pid
FROM bench_clone_plan p JOIN application_member m ON m.application_no = p.source;

INSERT INTO case_file (case_no, region, program, state, version, opened_by,
    opened_at, updated_at, report_due, decision_due, objection_until,
    conclusion, decision, verification_id, corrections_upto,
    verified_first_at, decided_at)
SELECT p.case_no, p.region, c.program, c.state, c.version, c.opened_by,
    c.opened_at - p.days * 86400, c.updated_at - p.days * 86400,
    date(c.report_due, '-' || p.days || ' days'),
    date(c.decision_due, '-' || p.days || ' days'),
    date(c.objection_until, '-' || p.days || ' days'),
    c.conclusion, c.decision, c.verification_id, c.corrections_upto,
    CASE WHEN c.verified_first_at > 0
        THEN c.verified_first_at - p.days * 86400 ELSE 0 END,
    CASE WHEN c.decided_at > 0 THEN c.decided_at - p.days * 86400 ELSE 0 END
FROM bench_clone_plan p JOIN case_file c ON c.case_no = p.source;

INSERT INTO case_event (case_no, at, username, role, action, from_state,
    to_state, reason, detail)
SELECT p.case_no, e.at - p.days * 86400, e.username, e.role, e.action,
    e.from_state, e.to_state, e.reason, e.detail
FROM bench_clone_plan p JOIN case_event e ON e.case_no = p.source
ORDER BY e.at - p.days * 86400, p.case_no, e.id;

COMMIT;
-- hedui runs no ANALYZE on its SQLite store, so neither does this: the
-- planner sees the store as a service's would be.
PRAGMA wal_checkpoint(TRUNCATE);
