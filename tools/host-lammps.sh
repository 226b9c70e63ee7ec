#!/usr/bin/env bash
# Provide the host LAMMPS that CryoCycle is built against and tested with.
#
# LAMMPS 4Feb2025 from Debian's source package `lammps` 20250204+dfsg.1-2 (Debian 13 "trixie"),
# configured with PLUGIN, MANYBODY, EXTRA-FIX, MPI (Debian's OpenMPI) and OpenMP, built once per
# machine into a cache directory outside the checkout. A second call finds the stamp and returns at once.
#
# Usage: tools/host-lammps.sh            builds if needed, prints the install prefix on stdout
#   prefix/bin/lmp                       the host executable
#   prefix/src/lammps-4Feb2025/src       the LAMMPS sources the plugin is compiled against
# Environment:
#   CRYOCYCLE_LAMMPS_CACHE   parent directory of the cache (default ${XDG_CACHE_HOME:-~/.cache}/cryocycle)
#   CRYOCYCLE_JOBS           parallel build jobs (default: number of cores)
set -euo pipefail

readonly DEB_VERSION="20250204+dfsg.1-2"
readonly ORIG_TARBALL="lammps_20250204+dfsg.1.orig.tar.xz"
readonly ORIG_SHA256="3671165bd52fad36734e0a9136c5bc5ecb225e03988f8c89aa13366a8b53b1c7"
readonly SOURCE_SUITE="trixie"   # the Debian suite whose source index holds DEB_VERSION
readonly TREE_NAME="lammps-4Feb2025"

# The configuration is part of the stamp: changing it here triggers a (ccache-assisted) rebuild.
readonly LAMMPS_OPTIONS=(
  -D CMAKE_BUILD_TYPE=Release
  -D BUILD_MPI=on -D BUILD_OMP=on -D LAMMPS_SIZES=smallbig
  -D PKG_PLUGIN=on -D PKG_MANYBODY=on -D PKG_EXTRA-FIX=on
  -D WITH_PNG=on -D WITH_JPEG=on -D WITH_GZIP=on -D WITH_FFMPEG=off
  -D BUILD_TOOLS=off -D BUILD_SHARED_LIBS=off
)
readonly BUILD_PACKAGES=(build-essential cmake ninja-build ccache xz-utils ca-certificates
                         libopenmpi-dev openmpi-bin libpng-dev libjpeg-dev zlib1g-dev gzip)

# shellcheck source=lib/debian-packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/debian-packages.sh"

log() { printf 'host-lammps: %s\n' "$*" >&2; }
die() { printf 'host-lammps: ERROR: %s\n' "$*" >&2; exit 1; }

cache_root=${CRYOCYCLE_LAMMPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cryocycle}
prefix="$cache_root/lammps-$DEB_VERSION"
stamp="$prefix/.cryocycle-host-complete"
stamp_text="$DEB_VERSION ${LAMMPS_OPTIONS[*]}"

host_is_complete() {
  [[ -f "$stamp" && "$(cat "$stamp")" == "$stamp_text" && -x "$prefix/bin/lmp" \
     && -f "$prefix/src/$TREE_NAME/src/lammpsplugin.h" ]]
}

if host_is_complete; then
  echo "$prefix"
  exit 0
fi

mkdir -p "$prefix"
# Two callers (the example and the tests, say) must not build into the same directory at once.
exec 9>"$prefix/.lock"
flock 9
if host_is_complete; then echo "$prefix"; exit 0; fi

# Print deb-src stanzas for SOURCE_SUITE, one per Debian main-archive URI found in the machine's own
# apt sources (deb822 *.sources and one-line *.list), so no mirror host name lives in this repository.
derive_source_entries() {
  local codename
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [[ -n "$codename" ]] || die "cannot read VERSION_CODENAME from /etc/os-release"
  local files=()
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] && files+=("$f")
  done
  ((${#files[@]})) || die "no apt source definitions found under /etc/apt"
  local uri keyring
  while read -r uri keyring; do
    printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\n' "$uri" "$SOURCE_SUITE"
    [[ -n "$keyring" ]] && printf 'Signed-By: %s\n' "$keyring"
    printf '\n'
  done < <(
    for f in "${files[@]}"; do
      if [[ "$f" == *.sources ]]; then
        # deb822: paragraphs; keep those that list the bare release codename (the main archive).
        awk -v cn="$codename" 'BEGIN { RS=""; FS="\n" }
          { uris=""; suites=""; key=""; enabled=1
            for (i = 1; i <= NF; i++) {
              line = $i; sub(/#.*/, "", line)
              if (line ~ /^URIs:/)      { sub(/^URIs:[ \t]*/, "", line); uris = line }
              if (line ~ /^Suites:/)    { sub(/^Suites:[ \t]*/, "", line); suites = " " line " " }
              if (line ~ /^Signed-By:/) { sub(/^Signed-By:[ \t]*/, "", line); key = line }
              if (line ~ /^Enabled:[ \t]*no/) enabled = 0
            }
            if (enabled && index(suites, " " cn " ")) { n = split(uris, u, " "); for (k = 1; k <= n; k++) print u[k], key }
          }' "$f"
      else
        # one-line: deb [options] uri suite components...
        awk -v cn="$codename" '$1 == "deb" {
            key = ""; i = 2
            if ($2 ~ /^\[/) { while ($i !~ /\]$/) { if ($i ~ /signed-by=/) { key = $i; sub(/.*signed-by=/, "", key); sub(/\]$/, "", key) } i++ }
                              if ($i ~ /signed-by=/) { key = $i; sub(/.*signed-by=/, "", key); sub(/\]$/, "", key) } i++ }
            if ($(i+1) == cn) print $i, key
          }' "$f"
      fi
    done | sort -u)
}

fetch_orig_tarball() {
  local dest="$1"
  if [[ -f "$dest/$ORIG_TARBALL" ]] && echo "$ORIG_SHA256  $dest/$ORIG_TARBALL" | sha256sum -c --status; then
    return 0
  fi
  local apt_dir="$prefix/apt"
  rm -rf "$apt_dir"
  mkdir -p "$apt_dir"/{sources.list.d,lists/partial,cache/archives/partial}
  derive_source_entries > "$apt_dir/sources.list.d/cryocycle-$SOURCE_SUITE-src.sources"
  [[ -s "$apt_dir/sources.list.d/cryocycle-$SOURCE_SUITE-src.sources" ]] \
    || die "no Debian main-archive entry found in /etc/apt to derive a deb-src entry from"
  # A private apt state: the machine's own source list and package lists stay untouched.
  local apt_opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
                  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
                  -o APT::Sandbox::User=root)
  log "fetching the source index of Debian $SOURCE_SUITE"
  apt-get "${apt_opts[@]}" -qq update >&2 || die "apt-get update of the $SOURCE_SUITE source index failed"
  log "downloading lammps $DEB_VERSION sources"
  # The .dsc is known to 404 on some mirrors while the orig tarball downloads; only the tarball is needed.
  (cd "$dest" && apt-get "${apt_opts[@]}" source --download-only "lammps=$DEB_VERSION" >&2) \
    || log "apt-get source reported an error; checking whether the orig tarball arrived"
  [[ -f "$dest/$ORIG_TARBALL" ]] || die "download of $ORIG_TARBALL failed"
  echo "$ORIG_SHA256  $dest/$ORIG_TARBALL" | sha256sum -c --status \
    || die "$ORIG_TARBALL does not have the expected sha256 $ORIG_SHA256"
  log "verified sha256 of $ORIG_TARBALL"
}

ensure_debian_packages "${BUILD_PACKAGES[@]}" || die "cannot install the build dependencies"
mkdir -p "$prefix/download" "$prefix/src"
fetch_orig_tarball "$prefix/download"
if [[ ! -f "$prefix/src/$TREE_NAME/src/lammpsplugin.h" ]]; then
  log "unpacking $ORIG_TARBALL"
  rm -rf "$prefix/src/$TREE_NAME"
  tar -xJf "$prefix/download/$ORIG_TARBALL" -C "$prefix/src"
fi

launcher=()
command -v ccache >/dev/null && launcher=(-D CMAKE_CXX_COMPILER_LAUNCHER=ccache -D CMAKE_C_COMPILER_LAUNCHER=ccache)
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
jobs=${CRYOCYCLE_JOBS:-$(nproc)}

log "configuring LAMMPS (${LAMMPS_OPTIONS[*]})"
cmake -S "$prefix/src/$TREE_NAME/cmake" -B "$prefix/build" "${generator[@]}" "${launcher[@]}" \
      -D CMAKE_INSTALL_PREFIX="$prefix" "${LAMMPS_OPTIONS[@]}" >&2
log "building LAMMPS with $jobs jobs (about 13 minutes on 2 cores the first time)"
SECONDS=0
cmake --build "$prefix/build" --parallel "$jobs" >&2
cmake --install "$prefix/build" >&2
log "built and installed in $((SECONDS / 60)) min $((SECONDS % 60)) s"

"$prefix/bin/lmp" -h | grep -q 'PLUGIN' || die "the built lmp does not list the PLUGIN package"
echo "$stamp_text" > "$stamp"
echo "$prefix"
