#!/usr/bin/env bash
# The two commands of the README:
#   bash scripts/dev.sh start   set up everything, start the playground, run the console connected to it
#   bash scripts/dev.sh test    set up everything and run every check and test (what .ci/run calls)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh

step() { printf '\n\033[1m› %s\033[0m\n' "$*"; }

install_deps() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "npm ci (Node $(node --version))"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

install_chromium() {
  # Debian's chromium for the browser tests, and a small CJK font so the default barrage message ("你好") is drawn
  # in the screenshots instead of empty boxes.
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing+=(fonts-wqy-microhei)
  [ ${#missing[@]} -eq 0 ] && return
  step "installing Debian's ${missing[*]} for the browser tests"
  local sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  ("${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null
}

case "${1:-}" in
  setup)
    install_deps
    ;;
  start)
    install_deps
    step "building the console (UI, and the Electron main/preload/engine bundles)"
    npm run -s build
    npm run -s build:electron
    step "starting the playground (the first run builds etcd and kube-apiserver: several minutes)"
    npm run -s playground -- up
    step "starting the console"
    exec npm start
    ;;
  test)
    install_deps
    install_chromium
    # Every check runs even when an earlier one fails, so one run shows everything that is wrong; the exit status
    # is non-zero when any failed.
    status=0
    failed=()
    # `go test -c` builds the test binaries without running them. Its output is shown only when it fails: on success
    # it lists every package as "[no test files]" (with `-run '^$'`, "ok … [no tests to run]"). The one CI run that
    # printed those lines was recorded as a run that executed no test, though the suite below ran 754.
    compile_virtual_node_tests() {
      local out_dir output
      out_dir=$(mktemp -d)
      if output=$(env -C playground/virtual-node GOTOOLCHAIN=local GOFLAGS=-mod=mod go test -c -o "$out_dir/" ./... 2>&1); then
        echo "compiled $(find "$out_dir" -type f | wc -l) test binaries"
        rm -rf "$out_dir"
      else
        printf '%s\n' "$output" >&2
        rm -rf "$out_dir"
        return 1
      fi
    }
    check() {
      local name=$1
      shift
      step "$name"
      if ! "$@"; then
        status=1
        failed+=("$name")
      fi
    }
    check lint npm run -s lint
    check format npm run -s format:check
    check typecheck npm run -s typecheck
    check build npm run -s build
    check "build (Electron bundles)" npm run -s build:electron
    mkdir -p artifacts
    # Compiled before the suite, not inside it: on a fresh machine the first `go test` of the node compiles client-go
    # and the virtual-kubelet for five minutes on both cores, and a test file starting its own kube-apiserver beside
    # it did not become healthy within 180 s. The spec runs the tests.
    check "compiling the virtual node's Go tests" compile_virtual_node_tests
    check "tests (unit + integration against the playground)" \
      npx vitest run --reporter=default --reporter=json --outputFile.json=artifacts/vitest.json
    check "end-to-end tests (Chromium against web mode)" \
      npm run -s test:e2e -- --reporter=default --reporter=json --outputFile.json=artifacts/vitest-e2e.json
    node scripts/summarize-tests.mjs artifacts/vitest.json artifacts/vitest-e2e.json || status=1
    if [ ${#failed[@]} -gt 0 ]; then
      printf 'failed: %s\n' "${failed[@]}" >&2
    fi
    exit $status
    ;;
  *)
    echo "usage: bash scripts/dev.sh setup|start|test" >&2
    exit 2
    ;;
esac
