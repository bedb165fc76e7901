# t_cli.sh - command-line contract: help, usage errors, exit codes
. "$(dirname "$0")/lib.sh"
DB="$T_TMP/s.db"

t_case help_top
t_run mt --help
t_expect_rc 0
t_expect_grep "$T_TMP/out" "usage: msgtrail COMMAND"
for c in ingest trace prune export summary stats; do
	t_expect_grep "$T_TMP/out" "  $c "
done

t_case help_each_command
for c in ingest trace prune "export failures" summary stats; do
	t_run mt $c --help
	t_expect_rc 0
	t_expect_grep "$T_TMP/out" "usage: msgtrail $c"
done

t_case no_command
t_run mt
t_expect_rc 2
t_expect_grep "$T_TMP/err" "usage: msgtrail COMMAND"

t_case unknown_command
t_run mt frobnicate
t_expect_rc 2
cat >"$T_TMP/want" <<'EOF2'
msgtrail: unknown command 'frobnicate' (try 'msgtrail --help')
EOF2
t_expect_file "$T_TMP/err" "$T_TMP/want"

t_case unknown_option
t_run mt trace --db "$DB" --bogus x
t_expect_rc 2
t_expect_grep "$T_TMP/err" "unrecognized option '--bogus'"
t_expect_grep "$T_TMP/err" "(try 'msgtrail trace --help')"

t_case bad_since
t_run mt trace --db "$DB" --since 2026-13-45 someid
t_expect_rc 2
t_expect_grep "$T_TMP/err" "msgtrail trace: --since: bad time '2026-13-45'"

t_case bad_keep
t_run mt prune --db "$DB" --keep 5x
t_expect_rc 2
t_expect_grep "$T_TMP/err" "msgtrail prune: --keep: bad duration '5x'"

t_case keep_and_before
t_run mt prune --db "$DB" --keep 2m --before 2026-01-01
t_expect_rc 2
t_expect_grep "$T_TMP/err" "exclude each other"

t_case trace_needs_id
t_run mt trace --db "$DB"
t_expect_rc 2
t_expect_grep "$T_TMP/err" "no ID given"

t_case ingest_needs_input
t_run mt ingest --db "$DB"
t_expect_rc 2
t_expect_grep "$T_TMP/err" "no input"

t_case bad_year
t_run mt ingest --db "$DB" --year 19x /dev/null
t_expect_rc 2
t_expect_grep "$T_TMP/err" "--year: bad year '19x'"

t_case bad_tz
t_run mt ingest --db "$DB" --tz Mars/Olympus /dev/null
t_expect_rc 2
t_expect_grep "$T_TMP/err" "--tz: unknown time zone 'Mars/Olympus'"

t_case trace_not_found_exit_1
printf 'Nov  2 09:15:01 relay1 postfix/qmgr[1]: 4A1B2C3D4E: removed\n' >"$T_TMP/one.log"
t_run mt ingest --db "$DB" --year 2026 -q "$T_TMP/one.log"
t_expect_rc 0
t_run mt trace --db "$DB" no-such-id@example.com
t_expect_rc 1
t_expect_grep "$T_TMP/err" "no-such-id@example.com: no message found"

t_case trace_not_found_json
t_run mt trace --db "$DB" --json nothing-here
t_expect_rc 1
printf '{"query": "nothing-here", "messages": []}\n' >"$T_TMP/want"
t_expect_file "$T_TMP/out" "$T_TMP/want"

t_case missing_store_exit_4
t_run mt trace --db "$T_TMP/nope/none.db" x
t_expect_rc 4

t_case export_needs_failures_word
t_run mt export --db "$DB"
t_expect_rc 2
t_expect_grep "$T_TMP/err" "want 'export failures'"

t_case version
t_run mt --version
t_expect_rc 0
t_expect_grep "$T_TMP/out" "^msgtrail [0-9]"

t_done
