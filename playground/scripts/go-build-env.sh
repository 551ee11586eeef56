# Sourced by the Knative build scripts: needs Go, builds with the local toolchain only (no toolchain download), and
# writes a build module of ours in the cache: a go.mod that requires the pinned module and a tools.go that imports
# the packages to build, so `go mod tidy` resolves exactly what those packages need.
command -v go >/dev/null || { echo "error: 'go' is not installed; install Go >= 1.25" >&2; exit 3; }
export GOTOOLCHAIN=local GOFLAGS=-mod=mod

# Usage: write_tools_module <dir> <module-name> "<module> <version>" <package>...
write_tools_module() {
  local dir=$1 name=$2 require=$3
  shift 3
  printf 'module knative-desk/build/%s\n\ngo 1.25.0\n\nrequire %s\n' "$name" "$require" >"$dir/go.mod"
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    printf '\t_ "%s"\n' "$@"
    printf ')\n'
  } >"$dir/tools.go"
}
