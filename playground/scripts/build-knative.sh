#!/usr/bin/env bash
# Builds Knative Serving's controller, webhook, autoscaler, activator and queue (queue-proxy) from the pinned
# knative.dev/serving module, in a build module of ours in the cache (never in the repo). Each binary's wall build
# time in seconds is kept beside it as `<binary>.build-seconds`.
# Usage: build-knative.sh <cache-dir> <serving-version>
set -euo pipefail
cache=$1 serving=$2
command -v go >/dev/null || { echo "error: 'go' is not installed; install Go >= 1.25" >&2; exit 3; }
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
bin="$cache/bin"; mkdir -p "$bin"
mod="$cache/build/knative-serving-$serving"; mkdir -p "$mod"
if [ ! -f "$mod/go.sum" ]; then
  cat >"$mod/go.mod" <<GOMOD
module knative-desk/build/knative-serving

go 1.25.0

require knative.dev/serving $serving
GOMOD
  cat >"$mod/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "knative.dev/serving/cmd/activator"
	_ "knative.dev/serving/cmd/autoscaler"
	_ "knative.dev/serving/cmd/controller"
	_ "knative.dev/serving/cmd/queue"
	_ "knative.dev/serving/cmd/webhook"
)
GO
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
