#!/bin/sh
# golden-update.sh - regenerate the golden end-to-end traces in
# tests/golden/ (or in the directory given as $1) from sample-logs/.
#
# Ingests sample-logs/{postfix,sendmail,ses,app} with --year 2026 --tz UTC
# and the billing rules into a throw-away store, then writes:
#   ingest.json   msgtrail ingest --json, "seconds" set to 0
#   NAME.json     msgtrail trace --json [options] ID, per line of ids.txt
#   NAME.txt      msgtrail trace --color never ID, per name in text.txt
# Run by "make golden-update" (MSGTRAIL is the program); tests/cli/t_golden.sh
# compares the same outputs.  Review the diff before committing: a golden
# file is only right when it agrees with sample-logs/SCENARIOS.md.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
: "${MSGTRAIL:?set MSGTRAIL to the msgtrail program}"
export TZ=UTC LC_ALL=C
out=${1:-tests/golden}
ids=tests/golden/ids.txt
texts=tests/golden/text.txt
rules=sample-logs/app/billing.rules
tab=$(printf '\t')
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mt-golden.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
db=$tmp/golden.db
mkdir -p "$out" || exit 2
status=0

"$MSGTRAIL" ingest --json --db "$db" --year 2026 --tz UTC --rules "$rules" \
    sample-logs/postfix sample-logs/sendmail sample-logs/ses sample-logs/app \
    </dev/null >"$tmp/ingest" || { echo "golden-update: ingest failed" >&2; exit 1; }
sed 's/"seconds": [0-9.eE+-]*/"seconds": 0/' "$tmp/ingest" >"$out/ingest.json"

while IFS=$tab read -r name id opts; do
	case $name in ''|'#'*) continue ;; esac
	# $opts is split into words on purpose: "--since T"
	"$MSGTRAIL" trace --db "$db" --rules "$rules" --json ${opts:-} "$id" \
	    </dev/null >"$out/$name.json"
	rc=$?
	[ "$rc" = 0 ] || { echo "golden-update: $name: exit $rc" >&2; status=1; }
done <"$ids"

while read -r name; do
	case $name in ''|'#'*) continue ;; esac
	line=$(grep "^$name$tab" "$ids") ||
	    { echo "golden-update: $name: not in $ids" >&2; status=1; continue; }
	id=$(printf '%s\n' "$line" | cut -f2)
	opts=$(printf '%s\n' "$line" | cut -s -f3)
	"$MSGTRAIL" trace --db "$db" --rules "$rules" --color never ${opts:-} \
	    "$id" </dev/null >"$out/$name.txt"
	rc=$?
	[ "$rc" = 0 ] || { echo "golden-update: $name: exit $rc" >&2; status=1; }
done <"$texts"
exit $status
