#!/usr/bin/env bash
# The project's whole test suite: the README's test command and CI both run it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PONDER_TELEMETRY_DISABLED=true
# Call the local binaries directly: a nested `npx` inside `npx -p node@24 -c` fails (EUSAGE).
export PATH="$PWD/node_modules/.bin:$PATH"
# ...and do not hand `npx -c`'s own arguments down to tools that run npm themselves.
unset npm_config_call npm_config_package

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 22 ]; then
  echo "npm test needs Node >= 22 (this is $(node -v)); run: npx -y -p node@24 -c 'npm ci && npm test'" >&2
  exit 1
fi

echo "== compile contracts (offline solc)"
hardhat build
echo "== solidity fuzz and invariant tests"
hardhat test solidity
echo "== vitest"
vitest run
echo "== docs:check (every runnable command of README.md and docs/*.md, in a fresh copy)"
tsx scripts/docs-check.ts
