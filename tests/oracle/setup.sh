#!/bin/sh
# Installs the CPython 3.14 oracle: the npm package pyodide, pinned, into ./node_modules.
# Idempotent: when the pinned version is already there it only checks and returns (~0.1 s).
# After this, pyodide_run.mjs loads Python offline from node_modules (no CDN needed).
set -eu
cd "$(dirname "$0")"
VERSION=314.0.7
PKG=node_modules/pyodide/package.json
if [ -f "$PKG" ] && grep -q "\"version\": \"$VERSION\"" "$PKG" \
   && [ -f node_modules/pyodide/pyodide.asm.wasm ] && [ -f node_modules/pyodide/python_stdlib.zip ]; then
    exit 0
fi
command -v npm >/dev/null || { echo "setup.sh: npm not found (node >= 18 and npm are needed)" >&2; exit 1; }
# --prefix keeps the install here; no package.json or lock file is written into the repo.
npm install --prefix . --no-save --no-package-lock --no-audit --no-fund "pyodide@$VERSION" >&2
grep -q "\"version\": \"$VERSION\"" "$PKG" || { echo "setup.sh: pyodide $VERSION not installed" >&2; exit 1; }
