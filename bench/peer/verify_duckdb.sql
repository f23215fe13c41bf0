-- The DuckDB peer of hedui's verification benchmark: ingest every delivery
-- with the row checks SQL can make, load the applications, authorizations
-- and policy, verify every application (spec rules.md, read as
-- docs/generator.md "Reading of rules.md" says) and write one Result
-- record per line. Integer arithmetic only: money in fen, factors times
-- 10,000, limits that are products compared as products.
--
-- Run by verify_duckdb.mjs, which replaces @F:<feed>@ with the feed's CSV
-- (from the manifests), @DATA@ with the population folder, @OUT@ with the
-- output file and @UNDELIVERED@ with the list of read feeds no manifest
-- delivers; statements end with ";" at the end of a line.

-- ---------------------------------------------------------- value types

CREATE MACRO dg(s, i) AS (ascii(substr(s, i, 1)) - 48);

-- ISO 7064 MOD 11-2 check character of the first 17 characters.
CREATE MACRO pid_cc(s) AS substr('10X98765432',
    (dg(s, 1) * 7 + dg(s, 2) * 9 + dg(s, 3) * 10 + dg(s, 4) * 5 +
     dg(s, 5) * 8 + dg(s, 6) * 4 + dg(s, 7) * 2 + dg(s, 8) * 1 +
     dg(s, 9) * 6 + dg(s, 10) * 3 + dg(s, 11) * 7 + dg(s, 12) * 9 +
     dg(s, 13) * 10 + dg(s, 14) * 5 + dg(s, 15) * 8 + dg(s, 16) * 4 +
     dg(s, 17) * 2) % 11 + 1, 1);

CREATE MACRO ymd_ok(s) AS
    try_strptime(s, '%Y%m%d') IS NOT NULL AND substr(s, 1, 4) <> '0000';

-- GB 11643: the 18-character form (uppercase X), or NULL when invalid. A
-- 15-digit number gets century 19 and a computed check character.
CREATE MACRO pid18(s) AS
    CASE WHEN ymd_ok(substr(s, 7, 8)) AND substr(s, 18, 1) = pid_cc(s)
         THEN s END;
CREATE MACRO pid17(s) AS
    CASE WHEN ymd_ok(substr(s, 7, 8)) THEN s || pid_cc(s) END;
CREATE MACRO pid_norm(s) AS
    CASE WHEN regexp_full_match(s, '[0-9]{17}[0-9Xx]') THEN pid18(upper(s))
         WHEN regexp_full_match(s, '[0-9]{15}')
         THEN pid17(substr(s, 1, 6) || '19' || substr(s, 7, 9)) END;

-- which GB 11643 rule an invalid ID breaks (for a refusal's reason)
CREATE MACRO pid_rule(s) AS CASE
    WHEN s IS NULL OR length(s) NOT IN (15, 18) THEN 'length'
    WHEN length(s) = 18 AND NOT regexp_full_match(substr(s, 7), '[0-9]{11}[0-9Xx]')
      THEN 'characters'
    WHEN length(s) = 15 AND NOT regexp_full_match(substr(s, 7), '[0-9]{9}')
      THEN 'characters'
    WHEN NOT regexp_full_match(substr(s, 1, 6), '[0-9]{6}') THEN 'address code'
    WHEN length(s) = 18 AND NOT ymd_ok(substr(s, 7, 8)) THEN 'birth date'
    WHEN length(s) = 15 AND NOT ymd_ok('19' || substr(s, 7, 6)) THEN 'birth date'
    ELSE 'check character' END;

-- GB 32100: MOD 31 over the alphabet without I O Z S V.
CREATE MACRO uv(s, i) AS
    (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(s, i, 1)) - 1);
CREATE MACRO uscc_ok(s) AS
    regexp_full_match(s, '[0-9A-HJ-NP-RTUW-Y]{18}') AND
    substr(s, 18, 1) = substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
        (31 - (uv(s, 1) * 1 + uv(s, 2) * 3 + uv(s, 3) * 9 + uv(s, 4) * 27 +
               uv(s, 5) * 19 + uv(s, 6) * 26 + uv(s, 7) * 16 +
               uv(s, 8) * 17 + uv(s, 9) * 20 + uv(s, 10) * 29 +
               uv(s, 11) * 25 + uv(s, 12) * 13 + uv(s, 13) * 8 +
               uv(s, 14) * 24 + uv(s, 15) * 10 + uv(s, 16) * 30 +
               uv(s, 17) * 28) % 31) % 31 + 1, 1);

CREATE MACRO date_ok(s) AS
    regexp_full_match(s, '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND
    try_strptime(s, '%Y-%m-%d') IS NOT NULL AND substr(s, 1, 4) <> '0000';
CREATE MACRO period_ok(s) AS
    regexp_full_match(s, '[0-9]{4}-(0[1-9]|1[0-2])') AND
    substr(s, 1, 4) <> '0000';
-- a month as y * 12 + m - 1
CREATE MACRO period_n(s) AS
    TRY_CAST(substr(s, 1, 4) AS INTEGER) * 12 +
    TRY_CAST(substr(s, 6, 2) AS INTEGER) - 1;
CREATE MACRO money_ok(s) AS regexp_full_match(s, '-?[0-9]{1,16}(\.[0-9]{1,2})?');
CREATE MACRO area_ok(s) AS regexp_full_match(s, '[0-9]{1,16}(\.[0-9]{1,2})?');
-- decimal text to hundredths, exactly (a DECIMAL, never a float)
CREATE MACRO fen(s) AS CAST(TRY_CAST(s AS DECIMAL(18, 2)) * 100 AS BIGINT);
CREATE MACRO pct_ok(s) AS
    regexp_full_match(s, '[0-9]{1,3}') AND TRY_CAST(s AS INTEGER) <= 100;
CREATE MACRO region_ok(s) AS
    regexp_full_match(s, '[0-9]{6}') AND substr(s, 1, 2) <> '00' AND
    NOT (substr(s, 3, 2) = '00' AND substr(s, 5, 2) <> '00');
-- DuckDB's reader replaces invalid UTF-8 by U+FFFD: that is how a bad
-- byte shows here.
CREATE MACRO text_ok(s) AS length(s) <= 200 AND strpos(s, '\uFFFD') = 0;

CREATE MACRO csv(f) AS TABLE
    SELECT * FROM read_csv(f, header = true, all_varchar = true, delim = ',',
                           quote = '"', escape = '"', ignore_errors = true,
                           -- without store_rejects, DuckDB 1.5 stops at the
                           -- first unterminated quote instead of skipping it
                           store_rejects = true);

-- ------------------------------------------------------------- the feeds

-- Every ID spelling and credit code met in the feeds, checked once: far
-- fewer than the rows (a person has tens of rows), and the checks are the
-- costly part of a row. pidmap.pid is NULL for an invalid ID.
CREATE TABLE pidmap AS
SELECT s, pid_norm(s) AS pid FROM (
    SELECT pid AS s FROM csv('@F:hukou@')
    UNION
    SELECT pid AS s FROM csv('@F:marriage@')
    UNION
    SELECT pid AS s FROM csv('@F:death@')
    UNION
    SELECT pid AS s FROM csv('@F:tax_income@')
    UNION
    SELECT pid AS s FROM csv('@F:social_insurance@')
    UNION
    SELECT pid AS s FROM csv('@F:unemployment@')
    UNION
    SELECT pid AS s FROM csv('@F:medical@')
    UNION
    SELECT pid AS s FROM csv('@F:provident_fund@')
    UNION
    SELECT pid AS s FROM csv('@F:real_estate@')
    UNION
    SELECT pid AS s FROM csv('@F:vehicle@')
    UNION
    SELECT pid AS s FROM csv('@F:enterprise@')
    UNION
    SELECT pid AS s FROM csv('@F:deposit@')
    UNION
    SELECT pid AS s FROM csv('@F:securities@')
    UNION
    SELECT pid AS s FROM csv('@F:insurance@')
    UNION
    SELECT pid AS s FROM csv('@F:disability@')
    UNION
    SELECT spouse_pid FROM csv('@F:marriage@'))
WHERE s IS NOT NULL;

CREATE TABLE usccmap AS
SELECT s FROM (
    SELECT payer AS s FROM csv('@F:tax_income@')
    UNION SELECT employer FROM csv('@F:social_insurance@')
    UNION SELECT uscc FROM csv('@F:enterprise@'))
WHERE uscc_ok(s);

CREATE TABLE hukou AS
SELECT m.pid AS pid, hukou_no, relation, status
FROM csv('@F:hukou@') r JOIN pidmap m ON m.s = r.pid
WHERE m.pid IS NOT NULL AND text_ok(name) AND sex IN ('1', '2')
  AND date_ok(birth) AND text_ok(hukou_no)
  AND relation IN ('02', '10', '20', '30', '40', '50', '60', '70', '80', '99')
  AND region_ok(region) AND status IN ('1', '2', '3')
  AND (status_date IS NULL OR date_ok(status_date))
  -- cross-field rules of feeds.md
  AND sex = CASE WHEN dg(m.pid, 17) % 2 = 1 THEN '1' ELSE '2' END
  AND replace(birth, '-', '') = substr(m.pid, 7, 8)
  AND (status_date IS NOT NULL OR status = '1');

CREATE TABLE marriage AS
SELECT m.pid AS pid, m2.pid AS spouse_pid, event,
       CAST(date AS DATE) AS date
FROM csv('@F:marriage@') r JOIN pidmap m ON m.s = r.pid JOIN pidmap m2 ON m2.s = r.spouse_pid
WHERE m.pid IS NOT NULL AND m2.pid IS NOT NULL
  AND event IN ('1', '2') AND date_ok(date);

CREATE TABLE death AS
SELECT m.pid AS pid
FROM csv('@F:death@') r JOIN pidmap m ON m.s = r.pid
WHERE m.pid IS NOT NULL AND date_ok(date);

CREATE TABLE tax_income AS
SELECT m.pid AS pid, period_n(period) AS period, category,
       fen(income) AS income, fen(tax) AS tax
FROM csv('@F:tax_income@') r JOIN pidmap m ON m.s = r.pid
WHERE m.pid IS NOT NULL AND period_ok(period)
  AND category IN ('wage', 'labor', 'royalty', 'author', 'business',
                   'interest', 'rental', 'transfer', 'incidental')
  AND (payer IS NULL OR payer IN (SELECT s FROM usccmap)) AND money_ok(income) AND money_ok(tax);

CREATE TABLE social_insurance AS
SELECT m.pid AS pid, period_n(period) AS period, kind,
       fen(base) AS base, fen(amount) AS amount
FROM csv('@F:social_insurance@') r JOIN pidmap m ON m.s = r.pid
WHERE m.pid IS NOT NULL AND period_ok(period)
  AND kind IN ('contrib', 'pension', 'unemployment', 'injury')
  AND (base IS NULL OR money_ok(base)) AND money_ok(amount)
  AND (employer IS NULL OR employer IN (SELECT s FROM usccmap))
  AND (base IS NOT NULL OR kind <> 'contrib');

CREATE TABLE unemployment AS
SELECT m.pid AS pid, CAST(registered AS DATE) AS registered,
       CAST(ended AS DATE) AS ended
FROM csv('@F:unemployment@') r JOIN pidmap m ON m.s = r.pid
WHERE m.pid IS NOT NULL AND date_ok(registered)
  AND (ended IS NULL OR date_ok(ended));

CREATE TABLE medical AS
SELECT m.pid AS pid, period_n(period) AS period,
       fen(self_paid) AS self_paid
FROM csv('@F:medical@') r JOIN pidmap m ON m.s = r.pid
WHERE m.pid IS NOT NULL AND period_ok(period)
  AND money_ok(total) AND money_ok(fund_paid) AND money_ok(self_paid)
  AND serious IN ('0', '1')
  AND fen(total) = fen(fund_paid) + fen(self_paid);

CREATE TABLE provident_fund AS
SELECT m.pid AS pid, period_n(period) AS period, fen(base) AS base
FROM csv('@F:provident_fund@') r JOIN pidmap m ON m.s = r.pid
WHERE m.pid IS NOT NULL AND period_ok(period)
  AND money_ok(base) AND money_ok(deposit) AND money_ok(balance);

CREATE TABLE real_estate AS
SELECT m.pid AS pid, cert_no, use, fen(area) AS area,
       CAST(share AS INTEGER) AS share, status
FROM csv('@F:real_estate@') r JOIN pidmap m ON m.s = r.pid
WHERE m.pid IS NOT NULL AND text_ok(cert_no) AND region_ok(region)
  AND use IN ('residential', 'commercial', 'office', 'industrial', 'other')
  AND area_ok(area) AND pct_ok(share) AND date_ok(acquired)
  AND status IN ('1', '2');

CREATE TABLE vehicle AS
SELECT m.pid AS pid, plate, type, fen(value) AS value, status
FROM csv('@F:vehicle@') r JOIN pidmap m ON m.s = r.pid
WHERE m.pid IS NOT NULL AND text_ok(plate)
  AND type IN ('car', 'truck', 'motorcycle', 'disability', 'farm')
  AND date_ok(registered) AND money_ok(value) AND status IN ('1', '2');

CREATE TABLE enterprise AS
SELECT m.pid AS pid, uscc, role, fen(capital) AS capital, status
FROM csv('@F:enterprise@') r JOIN pidmap m ON m.s = r.pid
WHERE m.pid IS NOT NULL AND uscc IN (SELECT s FROM usccmap) AND text_ok(name)
  AND role IN ('legal_rep', 'shareholder', 'individual')
  AND money_ok(capital) AND status IN ('1', '2', '3')
  AND date_ok(established);

CREATE TABLE deposit AS
SELECT m.pid AS pid, fen(balance) AS balance
FROM csv('@F:deposit@') r JOIN pidmap m ON m.s = r.pid
WHERE m.pid IS NOT NULL AND text_ok(institution)
  AND text_ok(account) AND product IN ('demand', 'time', 'wealth')
  AND money_ok(balance);

CREATE TABLE securities AS
SELECT m.pid AS pid, fen(market_value) AS market_value
FROM csv('@F:securities@') r JOIN pidmap m ON m.s = r.pid
WHERE m.pid IS NOT NULL AND text_ok(institution)
  AND money_ok(market_value);

CREATE TABLE insurance AS
SELECT m.pid AS pid, fen(cash_value) AS cash_value
FROM csv('@F:insurance@') r JOIN pidmap m ON m.s = r.pid
WHERE m.pid IS NOT NULL AND text_ok(policy_no)
  AND product IN ('life', 'annuity', 'health', 'property')
  AND money_ok(cash_value) AND money_ok(annual_premium);

CREATE TABLE disability AS
SELECT m.pid AS pid, level, CAST(valid_until AS DATE) AS valid_until
FROM csv('@F:disability@') r JOIN pidmap m ON m.s = r.pid
WHERE m.pid IS NOT NULL
  AND category IN ('1', '2', '3', '4', '5', '6', '7')
  AND level IN ('1', '2', '3', '4') AND date_ok(valid_until);

-- ------------------------------------------- applications, consent, policy

CREATE TABLE app AS
SELECT row_number() OVER () AS seq, application_no, program, region,
       TRY_CAST(applied_on AS DATE) AS on_, members
FROM read_json('@DATA@/applications.jsonl', format = 'newline_delimited',
    columns = {application_no: 'VARCHAR', program: 'VARCHAR',
               region: 'VARCHAR', applied_on: 'VARCHAR',
               members: 'STRUCT(pid VARCHAR, name VARCHAR, relation VARCHAR)[]'});

-- an ID already met in the feeds is looked up, not checked again
CREATE MACRO pid_of(map_s, map_pid, raw) AS
    CASE WHEN map_s IS NOT NULL THEN map_pid ELSE pid_norm(raw) END;

CREATE TABLE am AS
SELECT application_no, idx, raw_pid, pid_of(pm.s, pm.pid, raw_pid) AS pid, relation
FROM (SELECT application_no, i - 1 AS idx, members[i].pid AS raw_pid,
             members[i].relation AS relation
      FROM (SELECT application_no, members, generate_subscripts(members, 1) AS i
            FROM app)) x
LEFT JOIN pidmap pm ON pm.s = x.raw_pid;

CREATE TABLE auth AS
SELECT pid_of(pm.s, pm.pid, a.pid) AS pid, purpose,
       (list_contains(scope, '*') OR list_has_all(scope,
           ['hukou', 'marriage', 'death', 'tax_income', 'social_insurance',
            'medical', 'provident_fund', 'real_estate', 'vehicle',
            'enterprise', 'deposit', 'securities', 'insurance',
            'disability'])) AS scope_ok,
       TRY_CAST(valid_from AS DATE) AS vf, TRY_CAST(valid_until AS DATE) AS vu
FROM read_json('@DATA@/authorizations.jsonl', format = 'newline_delimited',
    columns = {pid: 'VARCHAR', purpose: 'VARCHAR[]', scope: 'VARCHAR[]',
               valid_from: 'VARCHAR', valid_until: 'VARCHAR'}) a
LEFT JOIN pidmap pm ON pm.s = a.pid;

CREATE TABLE pol AS SELECT content::JSON AS j FROM read_text('@DATA@/policy.json');

-- one row per parameter an entry sets; val is JSON (null clears a limit)
CREATE TABLE pentry AS
SELECT region, eff, name, json_extract(params, '$."' || name || '"') AS val
FROM (SELECT e ->> 'region' AS region,
             CAST(e ->> 'effective_from' AS DATE) AS eff,
             e -> 'params' AS params,
             unnest(json_keys(e -> 'params')) AS name
      FROM (SELECT unnest(from_json(j -> 'regions', '["JSON"]')) AS e FROM pol));

CREATE TABLE pnat AS
SELECT name, json_extract(j -> 'national', '$."' || name || '"') AS val
FROM (SELECT j, unnest(json_keys(j -> 'national')) AS name FROM pol);

-- section 1: per parameter, the nearest level that sets it, and there the
-- latest entry on or before applied_on
CREATE TABLE pres AS
WITH g AS (SELECT DISTINCT region, on_ FROM app WHERE region_ok(region)),
c AS (
    SELECT g.region, g.on_, e.name, e.val,
           CASE e.region WHEN g.region THEN 0
                WHEN substr(g.region, 1, 4) || '00' THEN 1 ELSE 2 END AS lvl,
           e.eff
    FROM g JOIN pentry e
      ON e.eff <= g.on_
     AND e.region IN (g.region, substr(g.region, 1, 4) || '00',
                      substr(g.region, 1, 2) || '0000'))
SELECT region, on_, name,
       arg_min(val, lvl * 10000000 - (eff - DATE '1970-01-01')) AS val
FROM c GROUP BY ALL;

CREATE TABLE params AS
WITH g AS (SELECT DISTINCT region, on_ FROM app WHERE region_ok(region)),
v AS (
    SELECT g.region, g.on_, nm.name,
           -- only a region sets dibao_standard and tekun_standard
           CASE WHEN nm.name IN ('dibao_standard', 'tekun_standard')
                THEN r.val ELSE coalesce(r.val, nat.val) END AS val
    FROM g CROSS JOIN (SELECT name FROM pnat UNION
                       SELECT DISTINCT name FROM pentry) nm(name)
    LEFT JOIN pres r ON r.region = g.region AND r.on_ = g.on_ AND r.name = nm.name
    LEFT JOIN pnat nat ON nat.name = nm.name),
w AS (
    SELECT region, on_,
           max(val) FILTER (WHERE name = 'dibao_standard') AS dibao,
           max(val) FILTER (WHERE name = 'tekun_standard') AS tekun,
           max(val) FILTER (WHERE name = 'low_income_factor') AS factor,
           max(val) FILTER (WHERE name = 'income_months') AS months,
           max(val) FILTER (WHERE name = 'financial_limit_months_dibao') AS fin_d,
           max(val) FILTER (WHERE name = 'financial_limit_months_low_income') AS fin_l,
           max(val) FILTER (WHERE name = 'vehicle_exempt_value') AS veh,
           max(val) FILTER (WHERE name = 'max_homes') AS homes,
           max(val) FILTER (WHERE name = 'max_area_per_capita') AS area,
           max(val) FILTER (WHERE name = 'enterprise_capital_limit') AS ent,
           max(val) FILTER (WHERE name = 'earned_income_disregard') AS disr,
           max(val) FILTER (WHERE name = 'excluded_categories') AS excl,
           max(val) FILTER (WHERE name = 'old_age') AS old_age
    FROM v GROUP BY ALL)
SELECT region, on_,
       CAST(dibao ->> '$' AS BIGINT) AS dibao,
       CAST(tekun ->> '$' AS BIGINT) AS tekun,
       CAST(CAST(factor ->> '$' AS DECIMAL(18, 4)) * 10000 AS BIGINT) AS factor,
       CAST(months ->> '$' AS INTEGER) AS months,
       CAST(fin_d ->> '$' AS BIGINT) AS fin_d,
       CAST(fin_l ->> '$' AS BIGINT) AS fin_l,
       CAST(veh ->> '$' AS BIGINT) AS veh,
       CAST(homes ->> '$' AS BIGINT) AS max_homes,
       CAST(area ->> '$' AS BIGINT) AS max_area,
       CAST(ent ->> '$' AS BIGINT) AS ent,
       CAST(disr ->> '$' AS BIGINT) AS disr,
       coalesce(from_json(excl, '["VARCHAR"]'), []) AS excl,
       CAST(old_age ->> '$' AS INTEGER) AS old_age
FROM w;

-- section 7: refusals in the order program, region, members, each pid
CREATE TABLE verdict AS
WITH bad AS (SELECT application_no, arg_min(raw_pid, idx) AS raw_pid,
                    min(idx) AS idx
             FROM am WHERE pid IS NULL GROUP BY ALL),
r AS (
    SELECT a.seq, a.application_no, a.program, a.on_, a.members,
           coalesce(region_ok(a.region), false) AS region_valid,
           b.raw_pid AS bad_pid, p.* EXCLUDE (region, on_),
           CASE
             WHEN a.program IS NULL OR a.program NOT IN
                  ('dibao', 'low_income', 'expenditure_hardship', 'tekun',
                   'medical_aid') THEN 'program'
             WHEN NOT coalesce(region_ok(a.region), false) THEN 'region'
             WHEN p.dibao IS NULL THEN 'region'
             WHEN a.members IS NULL OR len(a.members) = 0 THEN 'members'
             WHEN b.idx IS NOT NULL THEN 'members[' || b.idx || '].pid'
           END AS refused
    FROM app a
    LEFT JOIN params p ON p.region = a.region AND p.on_ = a.on_
    LEFT JOIN bad b ON b.application_no = a.application_no),
-- section 7: every declared member needs a valid authorization
ma AS (
    SELECT m.application_no, m.idx, m.pid,
           EXISTS (SELECT 1 FROM auth x
                   WHERE x.pid = m.pid AND list_contains(x.purpose, r.program)
                     AND x.scope_ok AND x.vf <= r.on_ AND r.on_ <= x.vu) AS authd
    FROM am m JOIN r USING (application_no) WHERE r.refused IS NULL),
u AS (
    SELECT application_no, list(pid ORDER BY idx) AS pids
    FROM ma WHERE NOT authd GROUP BY ALL)
SELECT r.*,
       CASE r.refused WHEN 'program' THEN 'unknown program'
            WHEN 'region' THEN CASE WHEN r.dibao IS NULL AND r.region_valid
                                    THEN 'no dibao_standard resolves'
                                    ELSE 'not a division code' END
            WHEN 'members' THEN 'no members'
            ELSE pid_rule(r.bad_pid) END AS reason,
       u.pids AS unauth
FROM r LEFT JOIN u USING (application_no);

-- ------------------------------------------------- the family (section 2)

CREATE TABLE ok AS
SELECT seq, application_no, program, on_, dibao, tekun, factor, months,
       fin_d, fin_l, veh, max_homes, max_area, ent, disr, excl, old_age,
       period_n(strftime(on_, '%Y-%m')) - months AS first_p
FROM verdict WHERE refused IS NULL AND unauth IS NULL;

CREATE TABLE mem AS
SELECT m.application_no, m.idx, m.pid, m.relation, h.hukou_no,
       h.relation AS h_relation, h.pid IS NOT NULL AS in_hukou,
       (h.status = '2' OR EXISTS (SELECT 1 FROM death d WHERE d.pid = m.pid))
           IS TRUE AS deceased
FROM am m JOIN ok USING (application_no)
LEFT JOIN hukou h ON h.pid = m.pid;

CREATE TABLE spouse AS
WITH latest AS (
    SELECT m.application_no, arg_max(x.event, x.date) AS event,
           arg_max(x.spouse_pid, x.date) AS spouse_pid
    FROM mem m JOIN marriage x ON x.pid = m.pid GROUP BY m.application_no, m.pid)
SELECT DISTINCT application_no FROM latest l
WHERE event = '1'
  AND NOT EXISTS (SELECT 1 FROM mem m WHERE m.application_no = l.application_no
                                         AND m.pid = l.spouse_pid)
  AND NOT EXISTS (SELECT 1 FROM hukou h WHERE h.pid = l.spouse_pid AND h.status = '2')
  AND NOT EXISTS (SELECT 1 FROM death d WHERE d.pid = l.spouse_pid);

CREATE TABLE fam AS
SELECT m.application_no,
       bool_or(NOT m.in_hukou) AS not_in_hukou,
       bool_or(m.deceased) AS deceased,
       bool_or(m.hukou_no = a.hukou_no AND m.relation <> m.h_relation)
           IS TRUE AS mismatch,
       count(DISTINCT m.pid) FILTER (WHERE NOT m.deceased) AS n
FROM mem m LEFT JOIN mem a ON a.application_no = m.application_no AND a.idx = 0
GROUP BY m.application_no;

-- F: the living declared members, with their application's parameters
CREATE TABLE fm AS
SELECT DISTINCT m.application_no, m.pid, ok.first_p, ok.months, ok.disr,
       ok.excl, ok.on_
FROM mem m JOIN ok USING (application_no) WHERE NOT m.deceased;

-- ------------------------------------------------------ income (section 3)

CREATE TABLE mm AS
WITH rows AS (
    SELECT f.application_no, f.pid, t.period,
           CASE WHEN t.category = 'wage' THEN t.income ELSE 0 END AS wage,
           t.category = 'wage' AS is_wage,
           CASE WHEN t.category <> 'wage' AND NOT list_contains(f.excl, t.category)
                THEN t.income ELSE 0 END AS plus,
           t.tax AS minus, NULL::BIGINT AS cbase, NULL::BIGINT AS fbase
    FROM fm f JOIN tax_income t
      ON t.pid = f.pid AND t.period >= f.first_p AND t.period < f.first_p + f.months
    UNION ALL
    SELECT f.application_no, f.pid, s.period, 0, false,
           CASE WHEN s.kind <> 'contrib' THEN s.amount ELSE 0 END,
           CASE WHEN s.kind = 'contrib' THEN s.amount ELSE 0 END,
           CASE WHEN s.kind = 'contrib' THEN s.base END, NULL
    FROM fm f JOIN social_insurance s
      ON s.pid = f.pid AND s.period >= f.first_p AND s.period < f.first_p + f.months
    UNION ALL
    SELECT f.application_no, f.pid, p.period, 0, false, 0, 0, NULL, p.base
    FROM fm f JOIN provident_fund p
      ON p.pid = f.pid AND p.period >= f.first_p AND p.period < f.first_p + f.months),
g AS (
    SELECT application_no, pid, period, sum(wage) AS wage,
           bool_or(is_wage) AS has_wage, sum(plus) - sum(minus) AS net,
           greatest(coalesce(max(cbase), 0), coalesce(max(fbase), 0), 0) AS est
    FROM rows GROUP BY ALL)
SELECT g.application_no,
       sum(g.net + w - least(w, ok.disr)) AS total
FROM (SELECT *, CASE WHEN has_wage THEN wage ELSE est END AS w FROM g) g
JOIN ok USING (application_no)
GROUP BY g.application_no;

CREATE TABLE expend AS
SELECT f.application_no, sum(x.self_paid) AS e
FROM fm f JOIN medical x
  ON x.pid = f.pid AND x.period >= f.first_p AND x.period < f.first_p + f.months
GROUP BY ALL;

-- ------------------------------------------------------ assets (section 4)

CREATE TABLE fin AS
SELECT application_no, sum(v) AS a FROM (
    SELECT f.application_no, x.balance AS v FROM fm f JOIN deposit x USING (pid)
    UNION ALL
    SELECT f.application_no, x.market_value FROM fm f JOIN securities x USING (pid)
    UNION ALL
    SELECT f.application_no, x.cash_value FROM fm f JOIN insurance x USING (pid))
GROUP BY ALL;

CREATE TABLE veh AS
SELECT f.application_no, count(*) AS vehicles
FROM fm f JOIN vehicle v USING (pid) JOIN ok USING (application_no)
WHERE v.status = '1' AND v.type IN ('car', 'truck') AND v.value > ok.veh
GROUP BY ALL;

CREATE TABLE home AS
SELECT f.application_no,
       count(DISTINCT r.cert_no) FILTER (WHERE r.use = 'residential') AS homes,
       coalesce(sum(r.area * r.share) FILTER (WHERE r.use = 'residential'), 0)
           AS area_pct,
       bool_or(r.use IN ('commercial', 'office', 'industrial')) AS nonres
FROM fm f JOIN real_estate r USING (pid)
WHERE r.status = '1'
GROUP BY ALL;

CREATE TABLE ent AS
SELECT DISTINCT f.application_no
FROM fm f JOIN enterprise e USING (pid) JOIN ok USING (application_no)
WHERE e.status = '1' AND e.role IN ('legal_rep', 'shareholder')
  AND e.capital > ok.ent;

-- tekun's work capacity: lacking when old, young or severely disabled
CREATE TABLE nocap AS
SELECT f.application_no,
       (CAST(strftime(f.on_, '%Y') AS INTEGER) - CAST(substr(f.pid, 7, 4) AS INTEGER)
        - CASE WHEN strftime(f.on_, '%m%d') < substr(f.pid, 11, 4) THEN 1 ELSE 0 END)
           AS age,
       EXISTS (SELECT 1 FROM disability d
               WHERE d.pid = f.pid AND d.level IN ('1', '2')
                 AND d.valid_until >= f.on_) AS disabled
FROM fm f JOIN fam USING (application_no) WHERE fam.n = 1;

-- ------------------------------------------------ figures, tests, results

CREATE MACRO tdiv(a, b) AS
    CASE WHEN a < 0 THEN -((-a) // b) ELSE a // b END;

CREATE TABLE fig AS
SELECT ok.*, fam.n,
       greatest(coalesce(mm.total, 0), 0) AS income,
       coalesce(expend.e, 0) AS e,
       coalesce(fin.a, 0) AS fa,
       coalesce(home.homes, 0) AS homes,
       coalesce(home.area_pct, 0) AS area_pct,
       coalesce(home.nonres, false) AS nonres,
       coalesce(veh.vehicles, 0) AS vehicles,
       ent.application_no IS NOT NULL AS enterprise,
       coalesce(nocap.age >= ok.old_age OR nocap.age < 16 OR nocap.disabled,
                false) AS no_capacity
FROM ok JOIN fam USING (application_no)
LEFT JOIN mm USING (application_no)
LEFT JOIN expend USING (application_no)
LEFT JOIN fin USING (application_no)
LEFT JOIN home USING (application_no)
LEFT JOIN veh USING (application_no)
LEFT JOIN ent USING (application_no)
LEFT JOIN nocap USING (application_no)
WHERE fam.n > 0;

CREATE TABLE tst AS
SELECT *,
       -- asset tests; FIN differs by level, the rest are the same
       pca > fin_d * dibao AS fin_fd,
       pca > fin_l * dibao AS fin_fl,
       vehicles > 0 AS veh_f,
       homes > max_homes AS homes_f,
       max_area IS NOT NULL AND area_pc > max_area AS area_f,
       nonres AS nonres_f,
       enterprise AS ent_f,
       NOT (pci < dibao) AS inc_d,
       NOT (pci * 10000 < factor * dibao) AS inc_l,
       NOT (pci_after * 10000 < factor * dibao) AS inc_after,
       e <= 0 AS no_rigid,
       n <> 1 AS not_single,
       n = 1 AND NOT no_capacity AS capacity,
       NOT (CASE WHEN tekun IS NOT NULL THEN pci < tekun
                 ELSE pci * 10000 < 13000 * dibao END) AS inc_t
FROM (SELECT *, income // (months * n) AS pci,
             greatest(income - e, 0) // (months * n) AS pci_after,
             tdiv(fa, n) AS pca,
             tdiv(area_pct, 100 * n) AS area_pc
      FROM fig);

CREATE TABLE prog AS
SELECT *,
       inc_d OR fin_fd OR veh_f OR homes_f OR area_f OR nonres_f OR ent_f AS f_dibao,
       inc_l OR fin_fl OR veh_f OR homes_f OR area_f OR nonres_f OR ent_f AS f_low,
       inc_after OR no_rigid OR fin_fl OR veh_f OR homes_f OR area_f OR nonres_f
           OR ent_f AS f_exp,
       not_single OR capacity OR inc_t OR fin_fd OR veh_f OR homes_f OR area_f
           OR nonres_f OR ent_f AS f_tekun
FROM tst;

-- the program's failure codes, in code order (which is sorted order)
CREATE TABLE failed AS
SELECT application_no,
       CASE WHEN d THEN 'dibao' WHEN l THEN 'low_income'
            WHEN x THEN 'expenditure_hardship' ELSE 'none' END AS level,
       list_filter([
         CASE WHEN ent_f THEN 'ENTERPRISE' END,
         CASE WHEN (program IN ('dibao', 'tekun') AND fin_fd)
                OR (program IN ('low_income', 'expenditure_hardship') AND fin_fl)
                OR (program = 'medical_aid' AND (fin_fd OR fin_fl))
              THEN 'FINANCIAL_ASSETS' END,
         CASE WHEN homes_f THEN 'HOMES' END,
         CASE WHEN area_f THEN 'HOME_AREA' END,
         CASE WHEN (program = 'dibao' AND inc_d) OR (program = 'low_income' AND inc_l)
                OR (program = 'tekun' AND inc_t)
                OR (program = 'medical_aid' AND (inc_d OR inc_l OR inc_t))
              THEN 'INCOME' END,
         CASE WHEN program IN ('expenditure_hardship', 'medical_aid') AND inc_after
              THEN 'INCOME_AFTER_EXPENDITURE' END,
         CASE WHEN nonres_f THEN 'NONRESIDENTIAL' END,
         CASE WHEN program IN ('tekun', 'medical_aid') AND not_single
              THEN 'NOT_SINGLE' END,
         CASE WHEN program IN ('expenditure_hardship', 'medical_aid') AND no_rigid
              THEN 'NO_RIGID_EXPENDITURE' END,
         CASE WHEN veh_f THEN 'VEHICLE' END,
         CASE WHEN program IN ('tekun', 'medical_aid') AND capacity
              THEN 'WORK_CAPACITY' END], lambda c: c IS NOT NULL) AS codes,
       -- medical_aid meets when any of the four meets
       program = 'medical_aid' AND (d OR l OR x OR t) AS aid_meets
FROM (SELECT *, NOT f_dibao AS d, NOT f_low AS l, NOT f_exp AS x,
             NOT f_tekun AS t FROM prog);

CREATE TABLE result AS
WITH x AS (
    SELECT v.seq, v.application_no, v.program, v.refused, v.reason, v.unauth,
           fam.n, fl.level, t.income, t.e, t.pci, t.pci_after, t.fa, t.pca,
           t.homes, t.area_pc, t.vehicles,
           list_filter([
             CASE WHEN @ANY_UNDELIVERED@ THEN 'FEED_NOT_DELIVERED' END,
             CASE WHEN fam.deceased THEN 'MEMBER_DECEASED' END,
             CASE WHEN fam.not_in_hukou THEN 'MEMBER_NOT_IN_HUKOU' END,
             CASE WHEN fam.mismatch THEN 'RELATION_MISMATCH' END,
             CASE WHEN v.program = 'tekun' AND fam.n > 0 THEN 'SUPPORTER_CHECK' END,
             CASE WHEN sp.application_no IS NOT NULL THEN 'UNDECLARED_SPOUSE' END],
             lambda c: c IS NOT NULL) AS findings,
           @ANY_UNDELIVERED@ OR fam.deceased OR fam.not_in_hukou
               OR sp.application_no IS NOT NULL AS review,
           CASE WHEN fl.aid_meets THEN []::VARCHAR[] ELSE fl.codes END AS codes
    FROM verdict v
    LEFT JOIN fam USING (application_no)
    LEFT JOIN spouse sp USING (application_no)
    LEFT JOIN failed fl USING (application_no)
    LEFT JOIN tst t USING (application_no))
SELECT seq, CASE
    WHEN refused IS NOT NULL THEN json_object(
        'application_no', application_no, 'program', program,
        'conclusion', 'refused', 'findings', ['APPLICATION_INVALID'],
        'error', json_object('field', refused, 'reason', reason))
    WHEN unauth IS NOT NULL THEN json_object(
        'application_no', application_no, 'program', program,
        'conclusion', 'unauthorized', 'findings', ['NO_AUTHORIZATION'],
        'pids', unauth)
    -- no living member: review, no figures, no level
    WHEN n = 0 THEN json_object(
        'application_no', application_no, 'program', program,
        'conclusion', 'review', 'failed', []::VARCHAR[], 'findings', findings)
    ELSE json_object(
        'application_no', application_no, 'program', program,
        'conclusion', CASE WHEN review THEN 'review'
                           WHEN len(codes) > 0 THEN 'fails' ELSE 'meets' END,
        'level', level,
        'figures', json_object(
            'members', n, 'income', income, 'expenditure', e, 'pci', pci,
            'pci_after', pci_after, 'financial_assets', fa, 'pca', pca,
            'homes', homes, 'area_pc', area_pc, 'vehicles', vehicles),
        'failed', codes, 'findings', findings)
  END AS j
FROM x;

COPY (SELECT j FROM result ORDER BY seq) TO '@OUT@'
    (FORMAT CSV, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\t');
