# shellcheck shell=bash
# Helpers for scripts/deps/*.sh that build binaries from Go modules through wrapper modules.
# Sourced, not run.

# gomod_field FIELD <json>: a string field of `go mod download -json` output.
gomod_field() {
  sed -n "s/^[[:space:]]*\"$1\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p" <<<"$2" | head -n 1
}

# gomod_replaces GO_MOD: every replace directive of a go.mod, one `replace A => B` a line,
# block or single-line form, comments dropped.
gomod_replaces() {
  awk '
    /^replace[[:space:]]*\(/ { inblock = 1; next }
    inblock && /^\)/ { inblock = 0; next }
    inblock { sub(/\/\/.*/, ""); if ($0 ~ /=>/) print "replace " $0; next }
    /^replace[[:space:]]/ { sub(/\/\/.*/, ""); print }
  ' "$1" | sed 's/[[:space:]]\+/ /g; s/^ //; s/ $//'
}

# gomod_go_version GO_MOD: the `go` line's version.
gomod_go_version() {
  awk '$1 == "go" { print $2; exit }' "$1"
}
