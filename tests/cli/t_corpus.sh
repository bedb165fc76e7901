# t_corpus.sh - the shared corpus of real logs and provider JSON, ingested
# through the command line (--final: the files are complete, one ends
# without a newline): no crash, no error on provider JSON, and every
# file's records traceable.  The corpus is read in place, never copied.
. "$(dirname "$0")/lib.sh"

if [ ! -d "$MT_CORPUS" ]; then
	t_case corpus
	t_skip "corpus $MT_CORPUS not found"
	t_done
	exit $?
fi

t_case provider_json_without_error
find "$MT_CORPUS" -name '*.json' | sort >"$T_TMP/json"
[ -s "$T_TMP/json" ] || t_fail "no JSON in the corpus"
while read -r f; do
	t_run mt ingest --db "$T_TMP/json.db" --final --json "$f"
	[ "$T_RC" = 0 ] || t_fail "$f: exit $T_RC: $(head -c 300 "$T_TMP/err")"
	python3 - "$T_TMP/out" <<'PY' || t_fail "$f: $(cat "$T_TMP/out") $(head -c 300 "$T_TMP/err")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["errors"] == 0 and r["unrecognised"] == 0 and r["records"] > 0, r
PY
done <"$T_TMP/json"

t_case every_file_without_crash
find "$MT_CORPUS" -type f ! -name '*.md' ! -name '*.json' | sort >"$T_TMP/text"
if [ "$T_LIGHT" = 1 ]; then
	# one run over every file
	t_run mt ingest --db "$T_TMP/text.db" --year 2026 --tz UTC --final --json $(cat "$T_TMP/text")
	[ "$T_RC" = 0 ] || t_fail "exit $T_RC: $(head -c 300 "$T_TMP/err")"
else
	while read -r f; do
		t_run mt ingest --db "$T_TMP/text.db" --year 2026 --tz UTC --final --json "$f"
		[ "$T_RC" = 0 ] || t_fail "$f: exit $T_RC: $(head -c 300 "$T_TMP/err")"
	done <"$T_TMP/text"
fi

t_case corpus_ids_trace
# every queue ID of a complete Postfix lifecycle in the corpus traces back
sqlite3 "$T_TMP/text.db" 'select count(*) from blocks' >"$T_TMP/n"
[ "$(cat "$T_TMP/n")" -gt 0 ] || t_fail "nothing stored from the corpus"
grep -rhE '^([A-Z][a-z]{2} [ 0-9][0-9] |[0-9]{4}-)' "$MT_CORPUS" | grep -oE 'postfix/qmgr\[[0-9]+\]: [0-9A-F]{10,12}: removed' |
    awk '{print $2}' | tr -d ':' | sort -u | head -$(t_scale 200 15) >"$T_TMP/qids"
[ -s "$T_TMP/qids" ] || t_fail "no queue IDs found in the corpus"
miss=0
while read -r q; do
	mt trace --db "$T_TMP/text.db" --json "$q" >"$T_TMP/t.json" 2>/dev/null ||
	    { miss=$((miss + 1)); echo "  not found: $q"; continue; }
	grep -q "\"$q\"" "$T_TMP/t.json" || { miss=$((miss + 1)); echo "  $q not among the queue IDs"; }
done <"$T_TMP/qids"
[ $miss = 0 ] || t_fail "$miss corpus queue IDs do not trace"

t_done
