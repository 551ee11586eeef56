#!/usr/bin/env bash
# Builds Knative Serving's controller, webhook, autoscaler, activator and queue (queue-proxy) from the pinned
# knative.dev/serving module, in a build module of ours in the cache (never in the repo). Each binary's wall build
# time in seconds is kept beside it as `<binary>.build-seconds`.
# Usage: build-knative.sh <cache-dir> <serving-version>
set -euo pipefail
cache=$1 serving=$2
. "$(dirname "${BASH_SOURCE[0]}")/go-build-env.sh"
bin="$cache/bin"; mkdir -p "$bin"
mod="$cache/build/knative-serving-$serving"; mkdir -p "$mod"
if [ ! -f "$mod/go.sum" ]; then
  write_tools_module "$mod" knative-serving "knative.dev/serving $serving" \
    knative.dev/serving/cmd/{activator,autoscaler,controller,queue,webhook}
  (cd "$mod" && go mod tidy)
fi
for cmd in webhook controller autoscaler activator queue; do
  out="$bin/knative-$cmd-$serving"
  if [ -x "$out" ]; then echo "knative $cmd $serving: cached"; continue; fi
  echo "knative $cmd $serving: building (first time only)…"
  began=$SECONDS
  (cd "$mod" && go build -trimpath -ldflags "-s -w" -o "$out.tmp" "knative.dev/serving/cmd/$cmd")
  mv "$out.tmp" "$out"
  echo "$((SECONDS - began))" >"$out.build-seconds"
  echo "knative $cmd $serving: built"
done
