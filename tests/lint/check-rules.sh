#!/usr/bin/env bash
# `npm run lint:rules`: proves that every project rule of .spectral.yaml can fail, and that the
# real spec passes them all.
#
# Each tests/lint/bad-*.yaml is a copy of good.yaml with one change, and its first line names
# the rule it breaks ("# Breaks <rule>: ..."). The checks:
#   * every `amazon-*` rule of .spectral.yaml has a fixture that breaks it;
#   * each fixture gets results, all of severity error and all from its one rule (an error
#     fails `spectral lint --fail-severity=warn`, so Spectral run on that fixture alone fails);
#   * good.yaml and spec/openapi.yaml get no result at all, of any severity.
#
# Spectral is started once for all the documents (it lints each on its own; one start saves
# about two seconds per document). Its exit code must be 1, "results at or above the fail
# severity": 2 would mean it could not run.
set -euo pipefail
cd "$(dirname "$0")/../.."

spectral=node_modules/.bin/spectral
ruleset=.spectral.yaml
spec=spec/openapi.yaml
good=tests/lint/good.yaml
[ -x "$spectral" ] || { echo "check-rules: $spectral missing; run npm ci first" >&2; exit 1; }

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# The rules to prove: the project's own (top-level keys under `rules:` named amazon-*).
mapfile -t rules < <(sed -n 's/^  \(amazon-[a-z0-9-]*\):[[:space:]]*$/\1/p' "$ruleset" | sort)
[ "${#rules[@]}" -gt 0 ] || { echo "check-rules: no amazon-* rules found in $ruleset" >&2; exit 1; }

# fixture -> the rule its first line says it breaks.
declare -A breaks=()
fixtures=(tests/lint/bad-*.yaml)
for f in "${fixtures[@]}"; do
  rule=$(sed -n '1s/^# Breaks \([a-z0-9-]*\):.*/\1/p' "$f")
  if [ -z "$rule" ]; then
    fail "$f: first line does not say '# Breaks <rule>: ...'"
    continue
  fi
  breaks[$f]=$rule
done

for rule in "${rules[@]}"; do
  found=
  for f in "${!breaks[@]}"; do [ "${breaks[$f]}" = "$rule" ] && found=$f; done
  if [ -n "$found" ]; then ok "$rule has a fixture ($found)"; else fail "$rule has no tests/lint/bad-*.yaml"; fi
done

# One run over everything. Text format: "<abs path>:<line>:<col> <severity> <code> "<message>"".
out=$(mktemp)
trap 'rm -f "$out"' EXIT
set +e
"$spectral" lint --ruleset "$ruleset" --fail-severity=warn --format text --quiet \
  "$spec" "$good" "${fixtures[@]}" >"$out" 2>&1
status=$?
set -e
if [ "$status" -ne 1 ]; then
  fail "spectral exited $status (expected 1: the bad fixtures fail, nothing else goes wrong)"
fi

# "<severity> <code>" of every result for one document.
results_for() {
  awk -v file="$PWD/$1" '{ where = $1; sub(/:[0-9]+:[0-9]+$/, "", where) } where == file { print $2, $3 }' "$out"
}

for doc in "$spec" "$good"; do
  got=$(results_for "$doc")
  if [ -z "$got" ]; then ok "$doc: no results"; else fail "$doc: expected no results, got:"; echo "$got" | sed 's/^/       /'; fi
done

for f in "${fixtures[@]}"; do
  rule=${breaks[$f]:-}
  [ -n "$rule" ] || continue
  got=$(results_for "$f")
  if [ -z "$got" ]; then
    fail "$f: expected $rule to fail it, got no results"
  elif [ "$(sort -u <<<"$got")" = "error $rule" ]; then
    ok "$f: fails with $rule ($(wc -l <<<"$got") error(s))"
  else
    fail "$f: expected only errors from $rule, got:"
    sort <<<"$got" | uniq -c | sed 's/^/       /'
  fi
done

if [ "$failed" -ne 0 ]; then
  echo "--- spectral output:"
  awk '{ print "    " $0 }' "$out"
fi
echo "check-rules: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
