#!/usr/bin/env bash
# Builds etcd, kube-apiserver, kube-controller-manager and kube-scheduler from the Go module proxy at the pinned
# versions, into a cache outside the repo. The three Kubernetes commands share one build module (and its cache).
# Rebuilds only when a pin changes: each binary's path carries its version. Each build's wall time in seconds is
# kept beside the binary as `<binary>.build-seconds` (bench/playground.bench.ts reports it).
# Usage: build-binaries.sh <cache-dir> <kubernetes-version> <etcd-version>
set -euo pipefail
cache=$1 k8s=$2 etcd=$3
command -v go >/dev/null || { echo "error: 'go' is not installed; install Go >= 1.24 (e.g. apt-get install golang or from go.dev)" >&2; exit 3; }
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
bin="$cache/bin"; mkdir -p "$bin"

build_etcd() {
  local out="$bin/etcd-$etcd"
  [ -x "$out" ] && { echo "etcd $etcd: cached"; return; }
  local mod="$cache/build/etcd-$etcd"; mkdir -p "$mod"
  echo "etcd $etcd: building (first time only)…"
  local began=$SECONDS
  cat >"$mod/go.mod" <<GOMOD
module knative-desk/build/etcd

go 1.24
GOMOD
  cat >"$mod/tools.go" <<'GO'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
GO
  (cd "$mod" && go get "go.etcd.io/etcd/server/v3@$etcd" >/dev/null 2>&1 && go build -trimpath -o "$out.tmp" go.etcd.io/etcd/server/v3)
  mv "$out.tmp" "$out"
  echo "$((SECONDS - began))" >"$out.build-seconds"
  echo "etcd $etcd: built"
}

# Builds one command of k8s.io/kubernetes (kube-apiserver, kube-controller-manager, kube-scheduler) in one shared
# build module: k8s.io/kubernetes names its staging modules at v0.0.0 with relative replaces, which a dependent
# module must restate at the matching v0.<minor>.<patch> (kubernetes#79384).
build_kube() {
  local cmd=$1
  local out="$bin/$cmd-$k8s"
  [ -x "$out" ] && { echo "$cmd $k8s: cached"; return; }
  local mod="$cache/build/kube-apiserver-$k8s"; mkdir -p "$mod"
  echo "$cmd $k8s: building (first time only, several minutes on 2 cores)…"
  local began=$SECONDS
  if [ ! -f "$mod/go.mod" ]; then
    local gomod; gomod=$(go mod download -json "k8s.io/kubernetes@$k8s" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
    local staging_v="v0${k8s#v1}"
    {
      echo "module knative-desk/build/kube-apiserver"
      echo
      echo "go 1.24.0"
      echo
      echo "require k8s.io/kubernetes $k8s"
      echo
      grep -E '=> \./staging/' "$gomod" | awk -v v="$staging_v" '{print "replace " $1 " => " $1 " " v}'
    } >"$mod/go.mod"
  fi
  cat >"$mod/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
GO
  local minor; minor=$(echo "$k8s" | cut -d. -f2)
  (cd "$mod" && go mod tidy >/dev/null 2>&1 || true
   cd "$mod" && go build -trimpath -o "$out.tmp" -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$k8s -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor" "k8s.io/kubernetes/cmd/$cmd")
  mv "$out.tmp" "$out"
  echo "$((SECONDS - began))" >"$out.build-seconds"
  echo "$cmd $k8s: built"
}

build_etcd
build_kube kube-apiserver
build_kube kube-controller-manager
build_kube kube-scheduler
