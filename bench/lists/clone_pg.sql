-- clone_sqlite.sql for PostgreSQL (read it first): the same copies by the
-- same plan, read from psql's standard input.
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE bench_clone_plan (case_no TEXT COLLATE "C" PRIMARY KEY,
    source TEXT COLLATE "C" NOT NULL, region TEXT COLLATE "C" NOT NULL,
    days INT NOT NULL) ON COMMIT DROP;
\copy bench_clone_plan FROM pstdin WITH (FORMAT csv)

INSERT INTO application (application_no, program, region, applied_on,
    refused_field, refused_reason, json, recorded_at)
SELECT p.case_no, a.program, p.region,
    to_char(a.applied_on::date - p.days, 'YYYY-MM-DD'),
    a.refused_field, a.refused_reason,
    replace(replace(replace(a.json,
        '"' || a.application_no || '"', '"' || p.case_no || '"'),
        '"region":"' || a.region || '"', '"region":"' || p.region || '"'),
        '"applied_on":"' || a.applied_on || '"',
        '"applied_on":"' || to_char(a.applied_on::date - p.days, 'YYYY-MM-DD') || '"'),
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
    to_char(c.report_due::date - p.days, 'YYYY-MM-DD'),
    to_char(c.decision_due::date - p.days, 'YYYY-MM-DD'),
    to_char(c.objection_until::date - p.days, 'YYYY-MM-DD'),
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
-- What autovacuum would do within a minute of so many new rows (statistics
-- for the planner, the visibility map for index-only scans), done now so
-- that the measurement does not depend on when it comes.
VACUUM ANALYZE application, application_member, case_file, case_event;
