# t_sql.sh - SQL and shell safety (issue 9): identifiers and addresses
# holding quotes, %, _, ;--, "'); DROP TABLE ...;--" and backslashes are
# stored and found by trace exactly (each finds its own message and no
# other: no LIKE wildcards, no SQL built from them), the store is intact
# afterwards, and the sources build no SQL text from runtime values and
# run no shell (tests/cli/sqlcheck.py).
. "$(dirname "$0")/lib.sh"
DB=$T_TMP/evil.db

# Postfix lifecycles: queue ID, Message-ID, recipient
cat >"$T_TMP/ids" <<'EOF'
C0A0000001	it's-1@evil.example	o'brien@example.org
C0A0000002	100%-2@evil.example	100%@example.org
C0A0000003	1000-3@evil.example	1000@example.org
C0A0000004	a_b-4@evil.example	a_b@example.org
C0A0000005	axb-5@evil.example	axb@example.org
C0A0000006	semi;--6@evil.example	x;--@example.org
C0A0000007	'); DROP TABLE blocks;--@evil.example	'); DROP TABLE ix;--@example.org
C0A0000008	back\slash-8@evil.example	back\slash@example.org
C0A0000009	backXslash-9@evil.example	backXslash@example.org
C0A000000A	"dq"-10@evil.example	"dq;--"@example.org
C0A000000B	%-11@evil.example	%@example.org
C0A000000C	_-12@evil.example	_@example.org
C0A000000D	x' OR '1'='1@evil.example	y' OR 1=1;--@example.org
EOF
python3 - "$T_TMP/ids" >"$T_TMP/evil.log" <<'PY'
import sys
for i, l in enumerate(open(sys.argv[1], encoding="utf-8")):
    q, mid, rc = l.rstrip("\n").split("\t")
    t = "10:%02d" % i
    for s in ("%s:00 relay8 postfix/pickup[400]: %s: uid=1001 from=<app@evil.example>" % (t, q),
              "%s:00 relay8 postfix/cleanup[401]: %s: message-id=<%s>" % (t, q, mid),
              "%s:01 relay8 postfix/qmgr[402]: %s: from=<app@evil.example>, size=100, nrcpt=1 (queue active)" % (t, q),
              "%s:02 relay8 postfix/smtp[403]: %s: to=<%s>, relay=mx.example.org[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok)" % (t, q, rc),
              "%s:02 relay8 postfix/qmgr[402]: %s: removed" % (t, q)):
        print("Nov  4 " + s)
PY
# SES events whose message ID, Message-ID header and recipients are hostile
python3 >"$T_TMP/evil.ndjson" <<'PY'
import json
recs = [("ses-'%_;--\\1", "<'%_;--\\1@ses.evil>", "o'hara%_@example.net"),
        ("ses-'%_;--\\2", "<'); DROP TABLE files;--@ses.evil>", "\"ses;--\"@example.net"),
        ("ses-x%", "<x%@ses.evil>", "p_q@example.net")]
for mid, hdr, rc in recs:
    mail = {"timestamp": "2026-11-04T11:00:00.000Z", "source": "app@evil.example",
            "messageId": mid, "destination": [rc],
            "commonHeaders": {"messageId": hdr, "subject": "'; DROP TABLE meta;--"}}
    print(json.dumps({"eventType": "Send", "mail": mail, "send": {}}))
    print(json.dumps({"eventType": "Delivery", "mail": mail, "delivery": {
        "timestamp": "2026-11-04T11:00:05.000Z", "recipients": [rc],
        "smtpResponse": "250 2.0.0 OK '%_;--", "reportingMTA": "a1.smtp-out.amazonses.com"}}))
PY

t_case ingest_hostile_ids
t_run mt ingest --db "$DB" --year 2026 --tz UTC --json "$T_TMP/evil.log" "$T_TMP/evil.ndjson"
t_expect_rc 0
t_expect_grep "$T_TMP/out" '"errors": 0,'
t_expect_grep "$T_TMP/out" '"records": 71,'
mt stats --db "$DB" --json >"$T_TMP/stats-before"

# tracecheck: one Python process runs every trace (Python starts slowly);
# lines "ID<TAB>WANT" on stdin, WANT the comma-joined queue and provider IDs
# of each message found, space-separated (empty: none found, exit status 1)
tracecheck() {
	cat >"$T_TMP/cases"
	python3 - "$MSGTRAIL" "$DB" "$T_TMP/cases" <<'PY' || t_fail "trace found the wrong messages"
import json, subprocess, sys
prog, db, cases = sys.argv[1:4]
bad = 0
for l in open(cases, encoding="utf-8").read().splitlines():
    id, want = l.split("\t")
    p = subprocess.run([prog, "trace", "--db", db, "--json", id], capture_output=True)
    t = json.loads(p.stdout)
    got = " ".join(",".join(m["ids"]["queue_ids"] + m["ids"]["provider_ids"]) for m in t["messages"])
    if got != want or p.returncode != (0 if want else 1):
        print("  trace %r: got %r (exit %d), want %r" % (id, got, p.returncode, want))
        bad = 1
sys.exit(bad)
PY
}

t_case trace_each_postfix_id_finds_only_its_message
tab=$(printf '\t')
while IFS=$tab read -r qid mid rcpt; do
	for id in "$qid" "$mid" "<$mid>" "$rcpt"; do
		printf '%s\t%s\n' "$id" "$qid"
	done
done <"$T_TMP/ids" | tracecheck

t_case trace_each_ses_id_finds_only_its_message
tracecheck <<'CASES'
ses-'%_;--\1	ses-'%_;--\1
<'%_;--\1@ses.evil>	ses-'%_;--\1
o'hara%_@example.net	ses-'%_;--\1
ses-'%_;--\2	ses-'%_;--\2
'); DROP TABLE files;--@ses.evil	ses-'%_;--\2
"ses;--"@example.net	ses-'%_;--\2
ses-x%	ses-x%
p_q@example.net	ses-x%
CASES

t_case wildcards_match_nothing
# each of these would match many messages as a LIKE pattern or in SQL text
tracecheck <<'CASES'
%	
_	
%%	
%@example.org%	
_@example.org_	
' OR '1'='1	
x' OR '1'='1	
%' OR 1=1;--	
*	
\	
ses-%	
ses-'%_;--\_	
CASES

t_case store_intact_after_every_query
t_run sqlite3 "$DB" "PRAGMA integrity_check; SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name);"
printf 'ok\nblocks files ix meta sqlite_sequence\n' >"$T_TMP/want"
t_expect_file "$T_TMP/out" "$T_TMP/want"
mt stats --db "$DB" --json >"$T_TMP/stats-after"
t_expect_file "$T_TMP/stats-after" "$T_TMP/stats-before"
printf 'C0A0000007\tC0A0000007\n' | tracecheck

t_case export_and_summary_with_hostile_ids
t_run mt export failures --db "$DB" --since 2026-11-04 --until 2026-11-05
t_expect_rc 0
t_run mt summary --db "$DB" --json --since 2026-11-04 --until 2026-11-05
t_expect_rc 0
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T_TMP/out" || t_fail "summary --json is not JSON"
mt stats --db "$DB" --json >"$T_TMP/stats-after"
t_expect_file "$T_TMP/stats-after" "$T_TMP/stats-before"

t_case file_names_never_reach_a_shell
name="a;b'\$(touch PWNED)\`touch PWNED2\`|c.log"
mkdir "$T_TMP/sh"
printf 'Nov  4 12:00:00 relay8 postfix/qmgr[402]: C0A00000FF: removed\0x\n' >"$T_TMP/sh/$name"
(cd "$T_TMP/sh" && t_run "$MSGTRAIL" ingest --db ../sh.db --year 2026 "$name"; echo "$T_RC" >rc)
[ "$(cat "$T_TMP/sh/rc")" = 0 ] || t_fail "exit $(cat "$T_TMP/sh/rc")"
[ ! -e "$T_TMP/sh/PWNED" ] && [ ! -e "$T_TMP/sh/PWNED2" ] || t_fail "a file name ran a command"
printf 'msgtrail: %s:1: NUL byte in line, skipped\n' "$name" >"$T_TMP/want"
t_expect_file "$T_TMP/err" "$T_TMP/want"

t_case sources_build_no_sql_from_input
cd "$T_TOP" || exit 2
t_run python3 tests/cli/sqlcheck.py common/*.c input/*.c parsers/*.c indexer/*.c query/*.c cli/*.c
t_expect_rc 0
t_expect_file "$T_TMP/out" /dev/null
# every SQL statement in the store module is a constant with ?N parameters
grep -q 'sqlite3_bind_text' indexer/mt_ix.c || t_fail "no bound text parameter in mt_ix.c"

t_case sqlcheck_finds_sql_built_from_input
# the checker itself: it must flag each way of building SQL from a value,
# and pass a constant pragma sized by a macro
cat >"$T_TMP/bad.c" <<'EOF'
static const char *const tbl[] = { "SELECT 1", [2] = "SELECT 2" };
int
run(sqlite3 *db, const char *key, int n)
{
	char sql[256], buf[64];
	char *q = sqlite3_mprintf("SELECT * FROM ix WHERE k = '%q'", key);

	snprintf(sql, sizeof(sql), "SELECT * FROM files WHERE name = '%s'", key);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	snprintf(buf, sizeof(buf), "PRAGMA cache_size = %d", n);
	sqlite3_prepare_v2(db, buf, -1, &st, NULL);
	sqlite3_exec(db, tbl[1], NULL, NULL, NULL);
	system(key);
	return wrap(db, key);
}
int
wrap(sqlite3 *db, const char *s)
{
	return sqlite3_exec(db, s, NULL, NULL, NULL);
}
int
ok(sqlite3 *db)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA page_size = %d;", PAGE_SIZE);
	(void)wrap(db, "SELECT 1; -- constant");
	return wrap(db, sql);
}
int
caller(sqlite3 *db)
{
	char line[128];
	const char *l = getenv("X");

	strcpy(line, l);
	(void)run(db, "SELECT 1", 1);
	(void)wrap(db, line);
	return run(db, l, 2);
}
#define VALS "(?,?)" ", (?,?)"
#define EVIL getenv("X")
static const char *const good_tbl[] = { "INSERT INTO t VALUES" VALS };
static const char *const evil_tbl[] = { [0] = "SELECT " EVIL };
int
tables(sqlite3 *db)
{
	(void)sqlite3_exec(db, good_tbl[0], NULL, NULL, NULL);
	return sqlite3_exec(db, evil_tbl[0], NULL, NULL, NULL);
}
EOF
t_run python3 "$T_TOP/tests/cli/sqlcheck.py" "$T_TMP/bad.c"
t_expect_rc 1
sed "s|^$T_TMP/||" "$T_TMP/out" >"$T_TMP/got"
cat >"$T_TMP/want" <<'EOF'
bad.c:6: sqlite3_mprintf builds SQL with printf
bad.c:13: system runs a program
bad.c:9: snprintf(sql) formats text into SQL (%s)
bad.c:9: snprintf(sql) puts a runtime value into SQL: key
bad.c:49: sqlite3_exec: SQL text 'evil_tbl[0]' is not a constant
bad.c:11: snprintf(buf) puts a runtime value into SQL: n
bad.c:38: strcpy(line, ...) writes SQL text
bad.c:39: 'l' is not a local char array
EOF
t_expect_file "$T_TMP/got" "$T_TMP/want"

t_done
