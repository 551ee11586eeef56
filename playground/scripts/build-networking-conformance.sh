#!/usr/bin/env bash
# Builds Knative networking's Ingress conformance tests (knative.dev/networking test/conformance/ingress, e2e tag)
# as a test binary, and the one test image they need here (test_images/runtime), from the networking module
# Knative Serving pins, in a build module of ours in the cache (never in the repo).
# Usage: build-networking-conformance.sh <cache-dir> <networking-version>; prints the output dir.
set -euo pipefail
cache=$1 networking=$2
. "$(dirname "${BASH_SOURCE[0]}")/go-build-env.sh"
out="$cache/build/networking-conformance-$networking"; mkdir -p "$out"
if [ -x "$out/conformance.test" ] && [ -x "$out/runtime" ]; then echo "$out"; exit 0; fi
write_tools_module "$out" networking-conformance "knative.dev/networking $networking" \
  knative.dev/networking/test/conformance/ingress knative.dev/networking/test/test_images/runtime
began=$SECONDS
(cd "$out" && go mod tidy -e >&2 \
  && go test -c -tags=e2e -o conformance.test.tmp knative.dev/networking/test/conformance/ingress >&2 \
  && go build -trimpath -o runtime.tmp knative.dev/networking/test/test_images/runtime >&2)
mv "$out/conformance.test.tmp" "$out/conformance.test"; mv "$out/runtime.tmp" "$out/runtime"
echo $((SECONDS - began)) >"$out/build-seconds"
echo "$out"
