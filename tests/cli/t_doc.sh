# t_doc.sh - the manual page is clean, and every option that --help lists
# is documented in the manual page and the README, and the default rules
# in doc/rules.md are the ones compiled in
. "$(dirname "$0")/lib.sh"
MAN="$T_TOP/doc/msgtrail.1"

t_case man_lint
if command -v mandoc >/dev/null 2>&1; then
	t_run mandoc -Tlint -W warning "$MAN"
	t_expect_rc 0
	[ -s "$T_TMP/out" ] && t_fail "mandoc: $(cat "$T_TMP/out")"
else
	t_skip "mandoc not installed"
fi

t_case options_documented
for c in ingest trace prune "export failures" summary stats; do
	mt $c --help >"$T_TMP/help"
	for o in $(grep -o -- '--[a-z][a-z-]*' "$T_TMP/help" | sort -u); do
		[ "$o" = "--help" ] && continue
		# mdoc writes --opt as "Fl -opt"
		grep -q -- "Fl ${o#-}" "$MAN" || t_fail "msgtrail $c: $o not in the manual page"
		grep -q -- "$o" "$T_TOP/README.md" || t_fail "msgtrail $c: $o not in README.md"
	done
done

t_case commands_documented
for c in ingest trace prune "export failures" summary stats; do
	grep -q "^\.Cm $c\$" "$MAN" || t_fail "no synopsis for $c in the manual page"
	grep -q "msgtrail $c" "$T_TOP/README.md" || t_fail "no $c in README.md"
done

t_case exit_codes_documented
for n in 0 1 2 3 4; do
	grep -q "^\.It $n\$" "$MAN" || t_fail "exit status $n not in the manual page"
done

t_case default_rules_documented
# doc/rules.md shows the default rules; the header compiles them in
t_run python3 "$T_TOP/tests/cli/rules_doc.py" "$T_TOP"
t_expect_rc 0

t_done
