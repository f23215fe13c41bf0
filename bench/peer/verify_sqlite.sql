-- The SQLite peer of hedui's verification benchmark: the same job as
-- verify_duckdb.sql, in the sqlite3 shell (3.40, json1, REGEXP, readfile).
--
-- Run by verify_sqlite.sh, which first imports each feed's CSV with
-- `.import --csv` into raw_<feed> (all TEXT, columns named by the file's
-- header; an empty field is '', a missing one NULL), applications.jsonl and
-- authorizations.jsonl one line per row into app_line and auth_line, then
-- reads this file after expanding the @NAME(arg)@ value checks (their
-- definitions are in verify_sqlite.sh) and replacing @DATA@ and
-- @ANY_UNDELIVERED@. Integer arithmetic only: money in fen, factors times
-- 10,000, limits that are products compared as products. SQLite's integer
-- division truncates toward zero, as rules.md asks.

-- ------------------------------------------- citizen IDs, credit codes

-- Every ID spelling met anywhere, checked once (GB 11643): its
-- 18-character form with an uppercase X, or NULL.
CREATE TABLE rawpid (s TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT OR IGNORE INTO rawpid SELECT pid FROM raw_hukou WHERE pid IS NOT NULL;
INSERT OR IGNORE INTO rawpid SELECT pid FROM raw_marriage WHERE pid IS NOT NULL;
INSERT OR IGNORE INTO rawpid SELECT spouse_pid FROM raw_marriage WHERE spouse_pid IS NOT NULL;
INSERT OR IGNORE INTO rawpid SELECT pid FROM raw_death WHERE pid IS NOT NULL;
INSERT OR IGNORE INTO rawpid SELECT pid FROM raw_tax_income WHERE pid IS NOT NULL;
INSERT OR IGNORE INTO rawpid SELECT pid FROM raw_social_insurance WHERE pid IS NOT NULL;
INSERT OR IGNORE INTO rawpid SELECT pid FROM raw_unemployment WHERE pid IS NOT NULL;
INSERT OR IGNORE INTO rawpid SELECT pid FROM raw_medical WHERE pid IS NOT NULL;
INSERT OR IGNORE INTO rawpid SELECT pid FROM raw_provident_fund WHERE pid IS NOT NULL;
INSERT OR IGNORE INTO rawpid SELECT pid FROM raw_real_estate WHERE pid IS NOT NULL;
INSERT OR IGNORE INTO rawpid SELECT pid FROM raw_vehicle WHERE pid IS NOT NULL;
INSERT OR IGNORE INTO rawpid SELECT pid FROM raw_enterprise WHERE pid IS NOT NULL;
INSERT OR IGNORE INTO rawpid SELECT pid FROM raw_deposit WHERE pid IS NOT NULL;
INSERT OR IGNORE INTO rawpid SELECT pid FROM raw_securities WHERE pid IS NOT NULL;
INSERT OR IGNORE INTO rawpid SELECT pid FROM raw_insurance WHERE pid IS NOT NULL;
INSERT OR IGNORE INTO rawpid SELECT pid FROM raw_disability WHERE pid IS NOT NULL;

CREATE TABLE app AS
SELECT rowid AS seq, line ->> '$.application_no' AS application_no,
       line ->> '$.program' AS program, line ->> '$.region' AS region,
       line ->> '$.applied_on' AS on_, line -> '$.members' AS members
FROM app_line WHERE json_valid(line);

CREATE TABLE am AS
SELECT a.application_no, CAST(j.key AS INTEGER) AS idx,
       j.value ->> '$.pid' AS raw_pid, j.value ->> '$.relation' AS relation
FROM app a, json_each(a.members) j;
INSERT OR IGNORE INTO rawpid SELECT raw_pid FROM am WHERE raw_pid IS NOT NULL;

CREATE TABLE auth_raw AS
SELECT line ->> '$.pid' AS raw_pid, line -> '$.purpose' AS purpose,
       line -> '$.scope' AS scope, line ->> '$.valid_from' AS vf,
       line ->> '$.valid_until' AS vu
FROM auth_line WHERE json_valid(line);
INSERT OR IGNORE INTO rawpid SELECT raw_pid FROM auth_raw WHERE raw_pid IS NOT NULL;

CREATE TABLE pidmap (s TEXT PRIMARY KEY, pid TEXT) WITHOUT ROWID;
INSERT INTO pidmap
WITH a AS (
    SELECT s,
           CASE WHEN length(s) = 18 AND substr(s, 1, 17) NOT GLOB '*[^0-9]*'
                     AND substr(s, 18) GLOB '[0-9Xx]' THEN upper(substr(s, 1, 17))
                WHEN length(s) = 15 AND s NOT GLOB '*[^0-9]*'
                THEN substr(s, 1, 6) || '19' || substr(s, 7, 9) END AS t,
           upper(substr(s, 18)) AS given
    FROM rawpid),
b AS (
    SELECT s, t, given,
           substr(t, 7, 4) || '-' || substr(t, 11, 2) || '-' || substr(t, 13, 2) AS birth,
           substr('10X98765432', (
               substr(t, 1, 1) * 7 + substr(t, 2, 1) * 9 + substr(t, 3, 1) * 10 +
               substr(t, 4, 1) * 5 + substr(t, 5, 1) * 8 + substr(t, 6, 1) * 4 +
               substr(t, 7, 1) * 2 + substr(t, 8, 1) * 1 + substr(t, 9, 1) * 6 +
               substr(t, 10, 1) * 3 + substr(t, 11, 1) * 7 + substr(t, 12, 1) * 9 +
               substr(t, 13, 1) * 10 + substr(t, 14, 1) * 5 + substr(t, 15, 1) * 8 +
               substr(t, 16, 1) * 4 + substr(t, 17, 1) * 2) % 11 + 1, 1) AS cc
    FROM a WHERE t IS NOT NULL)
SELECT s, t || cc FROM b
WHERE date(birth, '+0 days') = birth AND substr(birth, 1, 4) <> '0000'
  AND (length(s) = 15 OR given = cc);

-- GB 32100 codes met in the feeds, checked once
CREATE TABLE rawuscc (s TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT OR IGNORE INTO rawuscc SELECT payer FROM raw_tax_income WHERE payer <> '';
INSERT OR IGNORE INTO rawuscc SELECT employer FROM raw_social_insurance WHERE employer <> '';
INSERT OR IGNORE INTO rawuscc SELECT uscc FROM raw_enterprise WHERE uscc <> '';
CREATE TABLE usccmap (s TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO usccmap
WITH v(a) AS (SELECT '0123456789ABCDEFGHJKLMNPQRTUWXY')
SELECT s FROM rawuscc, v
WHERE s REGEXP '^[0-9A-HJ-NP-RTUW-Y]{18}$'
  AND substr(s, 18, 1) = substr(a, (31 - (
      (instr(a, substr(s, 1, 1)) - 1) * 1 + (instr(a, substr(s, 2, 1)) - 1) * 3 +
      (instr(a, substr(s, 3, 1)) - 1) * 9 + (instr(a, substr(s, 4, 1)) - 1) * 27 +
      (instr(a, substr(s, 5, 1)) - 1) * 19 + (instr(a, substr(s, 6, 1)) - 1) * 26 +
      (instr(a, substr(s, 7, 1)) - 1) * 16 + (instr(a, substr(s, 8, 1)) - 1) * 17 +
      (instr(a, substr(s, 9, 1)) - 1) * 20 + (instr(a, substr(s, 10, 1)) - 1) * 29 +
      (instr(a, substr(s, 11, 1)) - 1) * 25 + (instr(a, substr(s, 12, 1)) - 1) * 13 +
      (instr(a, substr(s, 13, 1)) - 1) * 8 + (instr(a, substr(s, 14, 1)) - 1) * 24 +
      (instr(a, substr(s, 15, 1)) - 1) * 10 + (instr(a, substr(s, 16, 1)) - 1) * 30 +
      (instr(a, substr(s, 17, 1)) - 1) * 28) % 31) % 31 + 1, 1);

-- ------------------------------------------------------------- the feeds
-- Each typed table is keyed on the feed's key and filled in file order with
-- INSERT OR REPLACE: among valid rows with the same key the later one wins.
-- A raw column that is NULL was missing from its record (too few fields).

CREATE TABLE hukou (pid TEXT PRIMARY KEY, hukou_no TEXT, relation TEXT,
                    status TEXT) WITHOUT ROWID;
INSERT OR REPLACE INTO hukou
SELECT m.pid, r.hukou_no, r.relation, r.status
FROM raw_hukou r JOIN pidmap m ON m.s = r.pid
WHERE @TEXT_OK(r.name)@ AND r.sex IN ('1', '2') AND @DATE_OK(r.birth)@
  AND @TEXT_OK(r.hukou_no)@
  AND r.relation IN ('02', '10', '20', '30', '40', '50', '60', '70', '80', '99')
  AND @REGION_OK(r.region)@ AND r.status IN ('1', '2', '3')
  AND r.status_date IS NOT NULL
  AND (r.status_date = '' OR @DATE_OK(r.status_date)@)
  -- cross-field rules of feeds.md
  AND r.sex = CASE WHEN substr(m.pid, 17, 1) % 2 = 1 THEN '1' ELSE '2' END
  AND replace(r.birth, '-', '') = substr(m.pid, 7, 8)
  AND (r.status_date <> '' OR r.status = '1')
ORDER BY r.rowid;

CREATE TABLE marriage (pid TEXT, date TEXT, spouse_pid TEXT, event TEXT,
                       PRIMARY KEY (pid, date)) WITHOUT ROWID;
INSERT OR REPLACE INTO marriage
SELECT m.pid, r.date, s.pid, r.event
FROM raw_marriage r JOIN pidmap m ON m.s = r.pid JOIN pidmap s ON s.s = r.spouse_pid
WHERE r.event IN ('1', '2') AND @DATE_OK(r.date)@
ORDER BY r.rowid;

CREATE TABLE death (pid TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT OR REPLACE INTO death
SELECT m.pid FROM raw_death r JOIN pidmap m ON m.s = r.pid
WHERE @DATE_OK(r.date)@ ORDER BY r.rowid;

CREATE TABLE tax_income (pid TEXT, period INTEGER, category TEXT, payer TEXT,
                         income INTEGER, tax INTEGER,
                         PRIMARY KEY (pid, period, category, payer)) WITHOUT ROWID;
INSERT OR REPLACE INTO tax_income
SELECT m.pid, @PERIOD_N(r.period)@, r.category, r.payer, @FEN(r.income)@,
       @FEN(r.tax)@
FROM raw_tax_income r JOIN pidmap m ON m.s = r.pid
WHERE @PERIOD_OK(r.period)@
  AND r.category IN ('wage', 'labor', 'royalty', 'author', 'business',
                     'interest', 'rental', 'transfer', 'incidental')
  AND (r.payer = '' OR r.payer IN (SELECT s FROM usccmap))
  AND @MONEY_OK(r.income)@ AND @MONEY_OK(r.tax)@
ORDER BY r.rowid;

CREATE TABLE social_insurance (pid TEXT, period INTEGER, kind TEXT,
                               base INTEGER, amount INTEGER,
                               PRIMARY KEY (pid, period, kind)) WITHOUT ROWID;
INSERT OR REPLACE INTO social_insurance
SELECT m.pid, @PERIOD_N(r.period)@, r.kind,
       CASE WHEN r.base <> '' THEN @FEN(r.base)@ END, @FEN(r.amount)@
FROM raw_social_insurance r JOIN pidmap m ON m.s = r.pid
WHERE @PERIOD_OK(r.period)@
  AND r.kind IN ('contrib', 'pension', 'unemployment', 'injury')
  AND (r.base = '' OR @MONEY_OK(r.base)@) AND @MONEY_OK(r.amount)@
  AND r.employer IS NOT NULL
  AND (r.employer = '' OR r.employer IN (SELECT s FROM usccmap))
  AND (r.base <> '' OR r.kind <> 'contrib')
ORDER BY r.rowid;

CREATE TABLE unemployment (pid TEXT, registered TEXT, ended TEXT,
                           PRIMARY KEY (pid, registered)) WITHOUT ROWID;
INSERT OR REPLACE INTO unemployment
SELECT m.pid, r.registered, nullif(r.ended, '')
FROM raw_unemployment r JOIN pidmap m ON m.s = r.pid
WHERE @DATE_OK(r.registered)@ AND r.ended IS NOT NULL
  AND (r.ended = '' OR @DATE_OK(r.ended)@)
ORDER BY r.rowid;

CREATE TABLE medical (pid TEXT, period INTEGER, self_paid INTEGER,
                      PRIMARY KEY (pid, period)) WITHOUT ROWID;
INSERT OR REPLACE INTO medical
SELECT m.pid, @PERIOD_N(r.period)@, @FEN(r.self_paid)@
FROM raw_medical r JOIN pidmap m ON m.s = r.pid
WHERE @PERIOD_OK(r.period)@ AND @MONEY_OK(r.total)@
  AND @MONEY_OK(r.fund_paid)@ AND @MONEY_OK(r.self_paid)@
  AND r.serious IN ('0', '1')
  AND @FEN(r.total)@ = @FEN(r.fund_paid)@ + @FEN(r.self_paid)@
ORDER BY r.rowid;

CREATE TABLE provident_fund (pid TEXT, period INTEGER, base INTEGER,
                             PRIMARY KEY (pid, period)) WITHOUT ROWID;
INSERT OR REPLACE INTO provident_fund
SELECT m.pid, @PERIOD_N(r.period)@, @FEN(r.base)@
FROM raw_provident_fund r JOIN pidmap m ON m.s = r.pid
WHERE @PERIOD_OK(r.period)@ AND @MONEY_OK(r.base)@
  AND @MONEY_OK(r.deposit)@ AND @MONEY_OK(r.balance)@
ORDER BY r.rowid;

CREATE TABLE real_estate (pid TEXT, cert_no TEXT, use TEXT, area INTEGER,
                          share INTEGER, status TEXT,
                          PRIMARY KEY (pid, cert_no)) WITHOUT ROWID;
INSERT OR REPLACE INTO real_estate
SELECT m.pid, r.cert_no, r.use, @FEN(r.area)@, CAST(r.share AS INTEGER), r.status
FROM raw_real_estate r JOIN pidmap m ON m.s = r.pid
WHERE @TEXT_OK(r.cert_no)@ AND @REGION_OK(r.region)@
  AND r.use IN ('residential', 'commercial', 'office', 'industrial', 'other')
  AND @AREA_OK(r.area)@ AND @PCT_OK(r.share)@ AND @DATE_OK(r.acquired)@
  AND r.status IN ('1', '2')
ORDER BY r.rowid;

CREATE TABLE vehicle (pid TEXT, plate TEXT, type TEXT, value INTEGER,
                      status TEXT, PRIMARY KEY (pid, plate)) WITHOUT ROWID;
INSERT OR REPLACE INTO vehicle
SELECT m.pid, r.plate, r.type, @FEN(r.value)@, r.status
FROM raw_vehicle r JOIN pidmap m ON m.s = r.pid
WHERE @TEXT_OK(r.plate)@
  AND r.type IN ('car', 'truck', 'motorcycle', 'disability', 'farm')
  AND @DATE_OK(r.registered)@ AND @MONEY_OK(r.value)@ AND r.status IN ('1', '2')
ORDER BY r.rowid;

CREATE TABLE enterprise (pid TEXT, uscc TEXT, role TEXT, capital INTEGER,
                         status TEXT, PRIMARY KEY (pid, uscc, role)) WITHOUT ROWID;
INSERT OR REPLACE INTO enterprise
SELECT m.pid, r.uscc, r.role, @FEN(r.capital)@, r.status
FROM raw_enterprise r JOIN pidmap m ON m.s = r.pid
WHERE r.uscc IN (SELECT s FROM usccmap) AND @TEXT_OK(r.name)@
  AND r.role IN ('legal_rep', 'shareholder', 'individual')
  AND @MONEY_OK(r.capital)@ AND r.status IN ('1', '2', '3')
  AND @DATE_OK(r.established)@
ORDER BY r.rowid;

CREATE TABLE deposit (pid TEXT, institution TEXT, account TEXT,
                      balance INTEGER,
                      PRIMARY KEY (pid, institution, account)) WITHOUT ROWID;
INSERT OR REPLACE INTO deposit
SELECT m.pid, r.institution, r.account, @FEN(r.balance)@
FROM raw_deposit r JOIN pidmap m ON m.s = r.pid
WHERE @TEXT_OK(r.institution)@ AND @TEXT_OK(r.account)@
  AND r.product IN ('demand', 'time', 'wealth') AND @MONEY_OK(r.balance)@
ORDER BY r.rowid;

CREATE TABLE securities (pid TEXT, institution TEXT, market_value INTEGER,
                         PRIMARY KEY (pid, institution)) WITHOUT ROWID;
INSERT OR REPLACE INTO securities
SELECT m.pid, r.institution, @FEN(r.market_value)@
FROM raw_securities r JOIN pidmap m ON m.s = r.pid
WHERE @TEXT_OK(r.institution)@ AND @MONEY_OK(r.market_value)@
ORDER BY r.rowid;

CREATE TABLE insurance (pid TEXT, policy_no TEXT, cash_value INTEGER,
                        PRIMARY KEY (pid, policy_no)) WITHOUT ROWID;
INSERT OR REPLACE INTO insurance
SELECT m.pid, r.policy_no, @FEN(r.cash_value)@
FROM raw_insurance r JOIN pidmap m ON m.s = r.pid
WHERE @TEXT_OK(r.policy_no)@
  AND r.product IN ('life', 'annuity', 'health', 'property')
  AND @MONEY_OK(r.cash_value)@ AND @MONEY_OK(r.annual_premium)@
ORDER BY r.rowid;

CREATE TABLE disability (pid TEXT PRIMARY KEY, level TEXT,
                         valid_until TEXT) WITHOUT ROWID;
INSERT OR REPLACE INTO disability
SELECT m.pid, r.level, r.valid_until
FROM raw_disability r JOIN pidmap m ON m.s = r.pid
WHERE r.category IN ('1', '2', '3', '4', '5', '6', '7')
  AND r.level IN ('1', '2', '3', '4') AND @DATE_OK(r.valid_until)@
ORDER BY r.rowid;

-- ------------------------------------------------ consent and policy

CREATE TABLE auth AS
SELECT m.pid, a.purpose,
       (EXISTS (SELECT 1 FROM json_each(a.scope) WHERE value = '*') OR
        (SELECT count(DISTINCT value) FROM json_each(a.scope)
         WHERE value IN ('hukou', 'marriage', 'death', 'tax_income',
                         'social_insurance', 'medical', 'provident_fund',
                         'real_estate', 'vehicle', 'enterprise', 'deposit',
                         'securities', 'insurance', 'disability')) = 14) AS scope_ok,
       a.vf, a.vu
FROM auth_raw a JOIN pidmap m ON m.s = a.raw_pid;
CREATE INDEX auth_pid ON auth(pid);

CREATE TABLE pol AS SELECT readfile('@DATA@/policy.json') AS j;

-- one row per parameter an entry sets; val is JSON text ('null' clears)
CREATE TABLE pentry AS
SELECT e.value ->> '$.region' AS region, e.value ->> '$.effective_from' AS eff,
       p.key AS name, CASE WHEN p.type = 'null' THEN 'null'
                           WHEN p.type IN ('array', 'object') THEN p.value
                           ELSE json_quote(p.value) END AS val
FROM pol, json_each(pol.j, '$.regions') e, json_each(e.value, '$.params') p;

CREATE TABLE pnat AS
SELECT p.key AS name, CASE WHEN p.type = 'null' THEN 'null'
                           WHEN p.type IN ('array', 'object') THEN p.value
                           ELSE json_quote(p.value) END AS val
FROM pol, json_each(pol.j, '$.national') p;

-- section 1: per parameter, the nearest level that sets it, and there the
-- latest entry on or before applied_on
CREATE TABLE pres AS
WITH g AS (SELECT DISTINCT region, on_ FROM app WHERE @REGION_OK(region)@),
c AS (
    SELECT g.region, g.on_, e.name, e.val,
           row_number() OVER (
               PARTITION BY g.region, g.on_, e.name
               ORDER BY CASE e.region WHEN g.region THEN 0
                        WHEN substr(g.region, 1, 4) || '00' THEN 1 ELSE 2 END,
                        e.eff DESC) AS rank
    FROM g JOIN pentry e
      ON e.eff <= g.on_
     AND e.region IN (g.region, substr(g.region, 1, 4) || '00',
                      substr(g.region, 1, 2) || '0000'))
SELECT region, on_, name, val FROM c WHERE rank = 1;

CREATE TABLE params AS
WITH g AS (SELECT DISTINCT region, on_ FROM app WHERE @REGION_OK(region)@),
v AS (
    SELECT g.region, g.on_, nm.name,
           -- only a region sets dibao_standard and tekun_standard
           CASE WHEN nm.name IN ('dibao_standard', 'tekun_standard') THEN r.val
                ELSE coalesce(r.val, nat.val) END AS val
    FROM g CROSS JOIN (SELECT name FROM pnat UNION SELECT name FROM pentry) nm
    LEFT JOIN pres r ON r.region = g.region AND r.on_ = g.on_ AND r.name = nm.name
    LEFT JOIN pnat nat ON nat.name = nm.name),
w AS (
    SELECT region, on_,
           max(CASE WHEN name = 'dibao_standard' THEN val END) AS dibao,
           max(CASE WHEN name = 'tekun_standard' THEN val END) AS tekun,
           max(CASE WHEN name = 'low_income_factor' THEN val END) AS factor,
           max(CASE WHEN name = 'income_months' THEN val END) AS months,
           max(CASE WHEN name = 'financial_limit_months_dibao' THEN val END) AS fin_d,
           max(CASE WHEN name = 'financial_limit_months_low_income' THEN val END) AS fin_l,
           max(CASE WHEN name = 'vehicle_exempt_value' THEN val END) AS veh,
           max(CASE WHEN name = 'max_homes' THEN val END) AS homes,
           max(CASE WHEN name = 'max_area_per_capita' THEN val END) AS area,
           max(CASE WHEN name = 'enterprise_capital_limit' THEN val END) AS ent,
           max(CASE WHEN name = 'earned_income_disregard' THEN val END) AS disr,
           max(CASE WHEN name = 'excluded_categories' THEN val END) AS excl,
           max(CASE WHEN name = 'old_age' THEN val END) AS old_age
    FROM v GROUP BY region, on_)
SELECT region, on_,
       CAST(dibao ->> '$' AS INTEGER) AS dibao,
       CAST(tekun ->> '$' AS INTEGER) AS tekun,
       (SELECT CASE WHEN instr(f, '.') = 0 THEN CAST(f AS INTEGER) * 10000
                    ELSE CAST(substr(f, 1, instr(f, '.') - 1) ||
                              substr(substr(f, instr(f, '.') + 1) || '000', 1, 4)
                              AS INTEGER) END
        FROM (SELECT factor ->> '$' AS f)) AS factor,
       CAST(months ->> '$' AS INTEGER) AS months,
       CAST(fin_d ->> '$' AS INTEGER) AS fin_d,
       CAST(fin_l ->> '$' AS INTEGER) AS fin_l,
       CAST(veh ->> '$' AS INTEGER) AS veh,
       CAST(homes ->> '$' AS INTEGER) AS max_homes,
       CAST(area ->> '$' AS INTEGER) AS max_area,
       CAST(ent ->> '$' AS INTEGER) AS ent,
       CAST(disr ->> '$' AS INTEGER) AS disr,
       coalesce(excl, '[]') AS excl,
       CAST(old_age ->> '$' AS INTEGER) AS old_age
FROM w;

-- section 7: refusals in the order program, region, members, each pid
CREATE TABLE amp AS
SELECT am.*, m.pid FROM am LEFT JOIN pidmap m ON m.s = am.raw_pid;

CREATE TABLE verdict AS
WITH bad AS (SELECT application_no, raw_pid, min(idx) AS idx FROM amp
             WHERE pid IS NULL GROUP BY application_no),
r AS (
    SELECT a.seq, a.application_no, a.program, a.on_, a.region,
           coalesce(@REGION_OK(a.region)@, 0) AS region_valid,
           b.raw_pid AS bad_pid, p.dibao, p.tekun, p.factor, p.months,
           p.fin_d, p.fin_l, p.veh, p.max_homes, p.max_area, p.ent, p.disr,
           p.excl, p.old_age,
           CASE
             WHEN a.program IS NULL OR a.program NOT IN
                  ('dibao', 'low_income', 'expenditure_hardship', 'tekun',
                   'medical_aid') THEN 'program'
             WHEN NOT coalesce(@REGION_OK(a.region)@, 0) THEN 'region'
             WHEN p.dibao IS NULL THEN 'region'
             WHEN coalesce(json_array_length(a.members), 0) = 0 THEN 'members'
             WHEN b.idx IS NOT NULL THEN 'members[' || b.idx || '].pid'
           END AS refused
    FROM app a
    LEFT JOIN params p ON p.region = a.region AND p.on_ = a.on_
    LEFT JOIN bad b ON b.application_no = a.application_no),
-- section 7: every declared member needs a valid authorization
ma AS (
    SELECT m.application_no, m.idx, m.pid,
           EXISTS (SELECT 1 FROM auth x
                   WHERE x.pid = m.pid AND x.scope_ok AND x.vf <= r.on_
                     AND r.on_ <= x.vu
                     AND EXISTS (SELECT 1 FROM json_each(x.purpose)
                                 WHERE value = r.program)) AS authd
    FROM amp m JOIN r USING (application_no) WHERE r.refused IS NULL),
-- a window keeps declaration order (3.40 has no ORDER BY in an aggregate)
u AS (
    SELECT DISTINCT application_no,
           json_group_array(pid) OVER (
               PARTITION BY application_no ORDER BY idx
               ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS pids
    FROM ma WHERE NOT authd)
SELECT r.*,
       CASE r.refused WHEN 'program' THEN 'unknown program'
            WHEN 'region' THEN CASE WHEN r.region_valid
                                    THEN 'no dibao_standard resolves'
                                    ELSE 'not a division code' END
            WHEN 'members' THEN 'no members'
            ELSE 'GB 11643' END AS reason,
       u.pids AS unauth
FROM r LEFT JOIN u USING (application_no);

-- ------------------------------------------------- the family (section 2)

CREATE TABLE ok AS
SELECT seq, application_no, program, on_, dibao, tekun, factor, months,
       fin_d, fin_l, veh, max_homes, max_area, ent, disr, excl, old_age,
       CAST(substr(on_, 1, 4) AS INTEGER) * 12 + CAST(substr(on_, 6, 2) AS INTEGER)
           - 1 - months AS first_p
FROM verdict WHERE refused IS NULL AND unauth IS NULL;
CREATE UNIQUE INDEX ok_no ON ok(application_no);

CREATE TABLE mem AS
SELECT m.application_no, m.idx, m.pid, m.relation, h.hukou_no,
       h.relation AS h_relation, h.pid IS NOT NULL AS in_hukou,
       coalesce(h.status = '2', 0)
           OR EXISTS (SELECT 1 FROM death d WHERE d.pid = m.pid) AS deceased
FROM amp m JOIN ok USING (application_no)
LEFT JOIN hukou h ON h.pid = m.pid;
CREATE INDEX mem_no ON mem(application_no, pid);

CREATE TABLE spouse AS
WITH latest AS (
    -- SQLite takes the bare columns from the row holding max(date)
    SELECT m.application_no, x.event, x.spouse_pid, max(x.date)
    FROM mem m JOIN marriage x ON x.pid = m.pid GROUP BY m.application_no, m.pid)
SELECT DISTINCT application_no FROM latest l
WHERE event = '1'
  AND NOT EXISTS (SELECT 1 FROM mem m WHERE m.application_no = l.application_no
                                         AND m.pid = l.spouse_pid)
  AND NOT EXISTS (SELECT 1 FROM hukou h WHERE h.pid = l.spouse_pid AND h.status = '2')
  AND NOT EXISTS (SELECT 1 FROM death d WHERE d.pid = l.spouse_pid);

CREATE TABLE fam AS
SELECT m.application_no,
       max(NOT m.in_hukou) AS not_in_hukou,
       max(m.deceased) AS deceased,
       coalesce(max(m.hukou_no = a.hukou_no AND m.relation <> m.h_relation), 0)
           AS mismatch,
       count(DISTINCT CASE WHEN NOT m.deceased THEN m.pid END) AS n
FROM mem m LEFT JOIN mem a ON a.application_no = m.application_no AND a.idx = 0
GROUP BY m.application_no;

-- F: the living declared members, with their application's parameters
CREATE TABLE fm AS
SELECT DISTINCT m.application_no, m.pid, ok.first_p, ok.months, ok.disr,
       ok.excl, ok.on_
FROM mem m JOIN ok USING (application_no) WHERE NOT m.deceased;
CREATE INDEX fm_pid ON fm(pid);

-- ------------------------------------------------------ income (section 3)

CREATE TABLE mm AS
WITH rows AS (
    SELECT f.application_no, f.pid, t.period,
           CASE WHEN t.category = 'wage' THEN t.income ELSE 0 END AS wage,
           t.category = 'wage' AS is_wage,
           CASE WHEN t.category <> 'wage' AND NOT EXISTS (
                    SELECT 1 FROM json_each(f.excl) WHERE value = t.category)
                THEN t.income ELSE 0 END AS plus,
           t.tax AS minus, NULL AS cbase, NULL AS fbase
    FROM fm f JOIN tax_income t
      ON t.pid = f.pid AND t.period >= f.first_p AND t.period < f.first_p + f.months
    UNION ALL
    SELECT f.application_no, f.pid, s.period, 0, 0,
           CASE WHEN s.kind <> 'contrib' THEN s.amount ELSE 0 END,
           CASE WHEN s.kind = 'contrib' THEN s.amount ELSE 0 END,
           CASE WHEN s.kind = 'contrib' THEN s.base END, NULL
    FROM fm f JOIN social_insurance s
      ON s.pid = f.pid AND s.period >= f.first_p AND s.period < f.first_p + f.months
    UNION ALL
    SELECT f.application_no, f.pid, p.period, 0, 0, 0, 0, NULL, p.base
    FROM fm f JOIN provident_fund p
      ON p.pid = f.pid AND p.period >= f.first_p AND p.period < f.first_p + f.months),
g AS (
    SELECT application_no, pid, period, sum(wage) AS wage,
           max(is_wage) AS has_wage, sum(plus) - sum(minus) AS net,
           max(coalesce(max(cbase), 0), coalesce(max(fbase), 0), 0) AS est
    FROM rows GROUP BY application_no, pid, period),
h AS (SELECT *, CASE WHEN has_wage THEN wage ELSE est END AS w FROM g)
SELECT h.application_no, sum(h.net + h.w - min(h.w, ok.disr)) AS total
FROM h JOIN ok USING (application_no)
GROUP BY h.application_no;

CREATE TABLE expend AS
SELECT f.application_no, sum(x.self_paid) AS e
FROM fm f JOIN medical x
  ON x.pid = f.pid AND x.period >= f.first_p AND x.period < f.first_p + f.months
GROUP BY f.application_no;

-- ------------------------------------------------------ assets (section 4)

CREATE TABLE fin AS
SELECT application_no, sum(v) AS a FROM (
    SELECT f.application_no, x.balance AS v FROM fm f JOIN deposit x USING (pid)
    UNION ALL
    SELECT f.application_no, x.market_value FROM fm f JOIN securities x USING (pid)
    UNION ALL
    SELECT f.application_no, x.cash_value FROM fm f JOIN insurance x USING (pid))
GROUP BY application_no;

CREATE TABLE veh AS
SELECT f.application_no, count(*) AS vehicles
FROM fm f JOIN vehicle v USING (pid) JOIN ok USING (application_no)
WHERE v.status = '1' AND v.type IN ('car', 'truck') AND v.value > ok.veh
GROUP BY f.application_no;

CREATE TABLE home AS
SELECT f.application_no,
       count(DISTINCT CASE WHEN r.use = 'residential' THEN r.cert_no END) AS homes,
       coalesce(sum(CASE WHEN r.use = 'residential' THEN r.area * r.share END), 0)
           AS area_pct,
       max(r.use IN ('commercial', 'office', 'industrial')) AS nonres
FROM fm f JOIN real_estate r USING (pid)
WHERE r.status = '1'
GROUP BY f.application_no;

CREATE TABLE ent AS
SELECT DISTINCT f.application_no
FROM fm f JOIN enterprise e USING (pid) JOIN ok USING (application_no)
WHERE e.status = '1' AND e.role IN ('legal_rep', 'shareholder')
  AND e.capital > ok.ent;

-- tekun's work capacity: lacking when old, young or severely disabled
CREATE TABLE nocap AS
SELECT f.application_no,
       CAST(substr(f.on_, 1, 4) AS INTEGER) - CAST(substr(f.pid, 7, 4) AS INTEGER)
       - (substr(f.on_, 6, 2) || substr(f.on_, 9, 2) < substr(f.pid, 11, 4)) AS age,
       EXISTS (SELECT 1 FROM disability d
               WHERE d.pid = f.pid AND d.level IN ('1', '2')
                 AND d.valid_until >= f.on_) AS disabled
FROM fm f JOIN fam USING (application_no) WHERE fam.n = 1;

-- ------------------------------------------------ figures, tests, results

CREATE TABLE tst AS
WITH fig AS (
    SELECT ok.*, fam.n,
           max(coalesce(mm.total, 0), 0) AS income,
           coalesce(expend.e, 0) AS e,
           coalesce(fin.a, 0) AS fa,
           coalesce(home.homes, 0) AS homes,
           coalesce(home.area_pct, 0) AS area_pct,
           coalesce(home.nonres, 0) AS nonres,
           coalesce(veh.vehicles, 0) AS vehicles,
           ent.application_no IS NOT NULL AS enterprise,
           coalesce(nocap.age >= ok.old_age OR nocap.age < 16 OR nocap.disabled, 0)
               AS no_capacity
    FROM ok JOIN fam USING (application_no)
    LEFT JOIN mm USING (application_no)
    LEFT JOIN expend USING (application_no)
    LEFT JOIN fin USING (application_no)
    LEFT JOIN home USING (application_no)
    LEFT JOIN veh USING (application_no)
    LEFT JOIN ent USING (application_no)
    LEFT JOIN nocap USING (application_no)
    WHERE fam.n > 0),
d AS (
    SELECT *, income / (months * n) AS pci,
           max(income - e, 0) / (months * n) AS pci_after,
           fa / n AS pca, area_pct / (100 * n) AS area_pc
    FROM fig)
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
FROM d;

CREATE TABLE failed AS
WITH p AS (
    SELECT *,
           NOT (inc_d OR fin_fd OR veh_f OR homes_f OR area_f OR nonres_f OR ent_f) AS d,
           NOT (inc_l OR fin_fl OR veh_f OR homes_f OR area_f OR nonres_f OR ent_f) AS l,
           NOT (inc_after OR no_rigid OR fin_fl OR veh_f OR homes_f OR area_f
                OR nonres_f OR ent_f) AS x,
           NOT (not_single OR capacity OR inc_t OR fin_fd OR veh_f OR homes_f
                OR area_f OR nonres_f OR ent_f) AS t
    FROM tst)
-- the program's failure codes, in code order (which is sorted order)
SELECT application_no,
       CASE WHEN d THEN 'dibao' WHEN l THEN 'low_income'
            WHEN x THEN 'expenditure_hardship' ELSE 'none' END AS level,
       -- medical_aid meets when any of the four meets
       CASE WHEN program = 'medical_aid' AND (d OR l OR x OR t) THEN '[]'
       ELSE '[' || rtrim(
         CASE WHEN ent_f
              THEN '"ENTERPRISE",' ELSE '' END ||
         CASE WHEN (program IN ('dibao', 'tekun') AND fin_fd)
                OR (program IN ('low_income', 'expenditure_hardship') AND fin_fl)
                OR (program = 'medical_aid' AND (fin_fd OR fin_fl))
              THEN '"FINANCIAL_ASSETS",' ELSE '' END ||
         CASE WHEN homes_f
              THEN '"HOMES",' ELSE '' END ||
         CASE WHEN area_f
              THEN '"HOME_AREA",' ELSE '' END ||
         CASE WHEN (program = 'dibao' AND inc_d) OR (program = 'low_income' AND inc_l)
                OR (program = 'tekun' AND inc_t)
                OR (program = 'medical_aid' AND (inc_d OR inc_l OR inc_t))
              THEN '"INCOME",' ELSE '' END ||
         CASE WHEN program IN ('expenditure_hardship', 'medical_aid') AND inc_after
              THEN '"INCOME_AFTER_EXPENDITURE",' ELSE '' END ||
         CASE WHEN nonres_f
              THEN '"NONRESIDENTIAL",' ELSE '' END ||
         CASE WHEN program IN ('tekun', 'medical_aid') AND not_single
              THEN '"NOT_SINGLE",' ELSE '' END ||
         CASE WHEN program IN ('expenditure_hardship', 'medical_aid') AND no_rigid
              THEN '"NO_RIGID_EXPENDITURE",' ELSE '' END ||
         CASE WHEN veh_f
              THEN '"VEHICLE",' ELSE '' END ||
         CASE WHEN program IN ('tekun', 'medical_aid') AND capacity
              THEN '"WORK_CAPACITY",' ELSE '' END, ',') || ']' END AS codes
FROM p;

CREATE TABLE result AS
WITH x AS (
    SELECT v.seq, v.application_no, v.program, v.refused, v.reason, v.unauth,
           fam.n, fl.level, t.income, t.e, t.pci, t.pci_after, t.fa, t.pca,
           t.homes, t.area_pc, t.vehicles,
           '[' || rtrim(
           CASE WHEN @ANY_UNDELIVERED@
                THEN '"FEED_NOT_DELIVERED",' ELSE '' END ||
           CASE WHEN fam.deceased
                THEN '"MEMBER_DECEASED",' ELSE '' END ||
           CASE WHEN fam.not_in_hukou
                THEN '"MEMBER_NOT_IN_HUKOU",' ELSE '' END ||
           CASE WHEN fam.mismatch
                THEN '"RELATION_MISMATCH",' ELSE '' END ||
           CASE WHEN v.program = 'tekun' AND fam.n > 0
                THEN '"SUPPORTER_CHECK",' ELSE '' END ||
           CASE WHEN sp.application_no IS NOT NULL
                THEN '"UNDECLARED_SPOUSE",' ELSE '' END, ',') || ']'
               AS findings,
           @ANY_UNDELIVERED@ OR fam.deceased OR fam.not_in_hukou
               OR sp.application_no IS NOT NULL AS review,
           fl.codes
    FROM verdict v
    LEFT JOIN fam USING (application_no)
    LEFT JOIN spouse sp USING (application_no)
    LEFT JOIN failed fl USING (application_no)
    LEFT JOIN tst t USING (application_no))
SELECT seq, CASE
    WHEN refused IS NOT NULL THEN json_object(
        'application_no', application_no, 'program', program,
        'conclusion', 'refused', 'findings', json_array('APPLICATION_INVALID'),
        'error', json_object('field', refused, 'reason', reason))
    WHEN unauth IS NOT NULL THEN json_object(
        'application_no', application_no, 'program', program,
        'conclusion', 'unauthorized', 'findings', json_array('NO_AUTHORIZATION'),
        'pids', json(unauth))
    -- no living member: review, no figures, no level
    WHEN n = 0 THEN json_object(
        'application_no', application_no, 'program', program,
        'conclusion', 'review', 'failed', json_array(), 'findings', json(findings))
    ELSE json_object(
        'application_no', application_no, 'program', program,
        'conclusion', CASE WHEN review THEN 'review'
                           WHEN json_array_length(codes) > 0 THEN 'fails'
                           ELSE 'meets' END,
        'level', level,
        'figures', json_object(
            'members', n, 'income', income, 'expenditure', e, 'pci', pci,
            'pci_after', pci_after, 'financial_assets', fa, 'pca', pca,
            'homes', homes, 'area_pc', area_pc, 'vehicles', vehicles),
        'failed', json(codes), 'findings', json(findings))
  END AS j
FROM x;
