#!/bin/sh
# t_golden.sh - golden end-to-end traces of sample-logs/: ingest every
# sample (Postfix, sendmail, SES JSON, application logs with the billing
# rules) with --year 2026 --tz UTC, then compare byte for byte
#   msgtrail ingest --json                     with tests/golden/ingest.json
#   msgtrail trace --json [options] ID         with tests/golden/NAME.json
#   msgtrail trace ID (text, no colour)        with tests/golden/NAME.txt
# for every line "NAME<TAB>ID[<TAB>options]" of tests/golden/ids.txt (text
# for the names in tests/golden/text.txt).  The same traces must come out
# when the inputs are read in the opposite order.  Regenerate with
# "make golden-update" and review the diff against sample-logs/SCENARIOS.md.
. "$(dirname "$0")/lib.sh"

G=$T_TOP/tests/golden
S=$T_TOP/sample-logs
RULES=$S/app/billing.rules
TAB=$(printf '\t')

# ingest_all DB DIR: the four sample directories under DIR
ingest_all() {
	mt ingest --json --db "$1" --year 2026 --tz UTC --rules "$RULES" \
	    "$2/postfix" "$2/sendmail" "$2/ses" "$2/app" </dev/null
}

# check_traces DB SUFFIX: one case per golden file
check_traces() {
	while IFS=$TAB read -r name id opts; do
		case $name in ''|'#'*) continue ;; esac
		t_case "json_$name$2"
		t_run mt trace --db "$1" --rules "$RULES" --json ${opts:-} "$id" </dev/null
		t_expect_rc 0
		t_expect_file "$T_TMP/out" "$G/$name.json"
		python3 -c 'import json, sys; json.load(open(sys.argv[1]))' \
		    "$T_TMP/out" 2>/dev/null || t_fail "not one JSON object"
	done <"$G/ids.txt"
	while read -r name; do
		case $name in ''|'#'*) continue ;; esac
		t_case "text_$name$2"
		line=$(grep "^$name$TAB" "$G/ids.txt") || { t_fail "$name not in ids.txt"; continue; }
		id=$(printf '%s\n' "$line" | cut -f2)
		opts=$(printf '%s\n' "$line" | cut -s -f3)
		t_run mt trace --db "$1" --rules "$RULES" --color never ${opts:-} "$id" </dev/null
		t_expect_rc 0
		t_expect_file "$T_TMP/out" "$G/$name.txt"
	done <"$G/text.txt"
}

t_case golden_files_present
if [ ! -f "$G/ids.txt" ] || [ ! -f "$S/SCENARIOS.md" ]; then
	t_skip "tests/golden/ids.txt or sample-logs/ not present"
	t_done
	exit
fi
n=$(grep -cv '^#' "$G/ids.txt")
[ "$n" -ge 20 ] || t_fail "only $n traced IDs"
for f in "$G"/*.json "$G"/*.txt; do
	b=$(basename "$f"); b=${b%.*}
	case $b in ids|text|ingest) continue ;; esac
	grep -q "^$b$TAB" "$G/ids.txt" || t_fail "$b: golden file with no line in ids.txt"
done

t_case ingest_counts
ingest_all "$T_TMP/a.db" "$S" >"$T_TMP/ingest" 2>"$T_TMP/err"
T_RC=$?
t_expect_rc 0
sed 's/"seconds": [0-9.eE+-]*/"seconds": 0/' "$T_TMP/ingest" >"$T_TMP/out"
t_expect_file "$T_TMP/out" "$G/ingest.json"
[ ! -s "$T_TMP/err" ] || t_fail "ingest warned: $(head -c 300 "$T_TMP/err")"

check_traces "$T_TMP/a.db" ""

# The same store from the inputs read the other way round: copies whose
# modification times reverse the order of the originals.
t_case reversed_order_ingest
mkdir -p "$T_TMP/rev"
for d in postfix sendmail ses app; do cp -R "$S/$d" "$T_TMP/rev/$d"; done
i=0
for f in $(ls "$T_TMP"/rev/*/* | sort); do
	i=$((i + 1))
	touch -d "@$((1793700000 - i * 3600))" "$f"
done
ingest_all "$T_TMP/b.db" "$T_TMP/rev" >"$T_TMP/ingest" 2>"$T_TMP/err"
T_RC=$?
t_expect_rc 0
sed 's/"seconds": [0-9.eE+-]*/"seconds": 0/' "$T_TMP/ingest" >"$T_TMP/out"
t_expect_file "$T_TMP/out" "$G/ingest.json"
check_traces "$T_TMP/b.db" "_reversed"

t_done
