#!/usr/bin/env bash
# Builds Knative networking's Ingress conformance tests (knative.dev/networking test/conformance/ingress, e2e tag)
# as a test binary, and the test images they need here (test_images/runtime, retry, timeout, wsserver, grpc-ping and
# httpproxy), from the networking module Knative Serving pins, in a build module of ours in the cache (never in the
# repo).
# Usage: build-networking-conformance.sh <cache-dir> <networking-version>; prints the output dir.
set -euo pipefail
cache=$1 networking=$2
. "$(dirname "${BASH_SOURCE[0]}")/go-build-env.sh"
out="$cache/build/networking-conformance-$networking"; mkdir -p "$out"
images=(runtime retry timeout wsserver grpc-ping httpproxy)
built=1
for image in conformance.test "${images[@]}"; do [ -x "$out/$image" ] || built=0; done
if [ "$built" = 1 ]; then echo "$out"; exit 0; fi
write_tools_module "$out" networking-conformance "knative.dev/networking $networking" \
  knative.dev/networking/test/conformance/ingress "${images[@]/#/knative.dev/networking/test/test_images/}"
began=$SECONDS
(cd "$out" && go mod tidy -e >&2 \
  && go test -c -tags=e2e -o conformance.test.tmp knative.dev/networking/test/conformance/ingress >&2)
mv "$out/conformance.test.tmp" "$out/conformance.test"
for image in "${images[@]}"; do
  (cd "$out" && go build -trimpath -o "$image.tmp" "knative.dev/networking/test/test_images/$image" >&2)
  mv "$out/$image.tmp" "$out/$image"
done
echo $((SECONDS - began)) >"$out/build-seconds"
echo "$out"
