#!/usr/bin/env bash
# Provide a host LAMMPS that CryoCycle is built against and tested with.
#
# One of the LAMMPS releases in Debian's source indexes, built from the package's orig tarball (the
# Debian patches are not applied) with PLUGIN, MANYBODY, EXTRA-FIX, OPENMP (the /omp styles, -sf omp)
# and GRAPHICS where dump image lives there, MPI (Debian's OpenMPI) and OpenMP threads, once per
# machine and version into its own cache
# directory outside the checkout. A second call finds the stamp and returns at once.
#
#   version    Debian source package                     suite of its source index
#   4Feb2025   lammps 20250204+dfsg.1-2 (the default)     trixie
#   4Jul2026   lammps 20260704+dfsg-2   (newest release)  sid (also forky)
#
# Usage: tools/host-lammps.sh [VERSION]  builds if needed, prints the install prefix on stdout
#   prefix/bin/lmp                       the host executable
#   prefix/src/lammps-VERSION/src        the LAMMPS sources the plugin is compiled against
# Environment:
#   CRYOCYCLE_LAMMPS_VERSION  version when no argument is given (default 4Feb2025)
#   CRYOCYCLE_LAMMPS_CACHE    parent directory of the caches (default ${XDG_CACHE_HOME:-~/.cache}/cryocycle)
#   CRYOCYCLE_JOBS            parallel build jobs (default: number of cores)
set -euo pipefail

log() { printf 'host-lammps: %s\n' "$*" >&2; }
die() { printf 'host-lammps: ERROR: %s\n' "$*" >&2; exit 1; }

readonly HOST_VERSION=${1:-${CRYOCYCLE_LAMMPS_VERSION:-4Feb2025}}
# Tarball name, size and sha256 as listed in the suite's Sources index (Checksums-Sha256); the script
# also checks that the index it downloads still lists exactly these before trusting the tarball.
case "$HOST_VERSION" in
  4Feb2025)
    DEB_VERSION="20250204+dfsg.1-2" SOURCE_SUITE="trixie"
    ORIG_TARBALL="lammps_20250204+dfsg.1.orig.tar.xz" ORIG_SIZE=132367436
    ORIG_SHA256="3671165bd52fad36734e0a9136c5bc5ecb225e03988f8c89aa13366a8b53b1c7"
    VERSION_OPTIONS=() ;;
  4Jul2026)
    DEB_VERSION="20260704+dfsg-2" SOURCE_SUITE="sid"
    ORIG_TARBALL="lammps_20260704+dfsg.orig.tar.gz" ORIG_SIZE=213748522
    ORIG_SHA256="cddbc45a047416bd48a4a0b87f24a5b61b3446982b74d18cafe619c22b17eb62"
    # dump image (and movie), in the core of 4Feb2025, is in the GRAPHICS package here
    VERSION_OPTIONS=(-D PKG_GRAPHICS=on) ;;
  7Jan2022 | 29Sep2021)
    die "Debian 12's lammps 20220106.git7586adbb6a+ds1-2 (LAMMPS 29 Sep 2021) is not supported: its C++ API lacks what the styles use (doc/versions.rst)" ;;
  *) die "unknown LAMMPS version '$HOST_VERSION' (known: 4Feb2025, 4Jul2026)" ;;
esac
readonly DEB_VERSION SOURCE_SUITE ORIG_TARBALL ORIG_SIZE ORIG_SHA256 VERSION_OPTIONS
readonly TREE_NAME="lammps-$HOST_VERSION"

# The configuration is part of the stamp: changing it here triggers a (ccache-assisted) rebuild.
readonly LAMMPS_OPTIONS=(
  -D CMAKE_BUILD_TYPE=Release
  -D BUILD_MPI=on -D BUILD_OMP=on -D LAMMPS_SIZES=smallbig
  -D PKG_PLUGIN=on -D PKG_MANYBODY=on -D PKG_EXTRA-FIX=on -D PKG_OPENMP=on
  -D WITH_PNG=on -D WITH_JPEG=on -D WITH_GZIP=on -D WITH_FFMPEG=off
  -D BUILD_TOOLS=off -D BUILD_SHARED_LIBS=off
  "${VERSION_OPTIONS[@]}"
)
readonly BUILD_PACKAGES=(build-essential cmake ninja-build ccache xz-utils ca-certificates
                         libopenmpi-dev openmpi-bin libpng-dev libjpeg-dev zlib1g-dev gzip)

# shellcheck source=lib/debian-packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/debian-packages.sh"

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

# True if file $1 has the pinned size and sha256.
tarball_is_verified() {
  [[ -f "$1" && "$(stat -c %s "$1")" == "$ORIG_SIZE" ]] && echo "$ORIG_SHA256  $1" | sha256sum -c --status
}

# The Sources index just fetched must list the tarball with the pinned size and sha256: a changed
# index (a new upload under the same version) stops here instead of building something else.
check_source_index() {
  local lists="$1" index listed
  for index in "$lists"/*_dists_"${SOURCE_SUITE}"_main_source_Sources*; do
    [[ -f "$index" ]] || continue
    listed=$(/usr/lib/apt/apt-helper cat-file "$index" | awk -v pkg="lammps" -v ver="$DEB_VERSION" -v f="$ORIG_TARBALL" '
      BEGIN { RS = ""; FS = "\n" }
      { p = ""; v = ""; in_sha = 0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^Package: /) p = substr($i, 10)
          if ($i ~ /^Version: /) v = substr($i, 10)
        }
        if (p != pkg || v != ver) next
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^Checksums-Sha256:/) { in_sha = 1; continue }
          if (in_sha && $i !~ /^ /) in_sha = 0
          if (in_sha) { split($i, w, " "); if (w[3] == f) print w[1], w[2] }
        }
      }')
    [[ -n "$listed" ]] && break
  done
  [[ -n "$listed" ]] || die "the $SOURCE_SUITE Sources index does not list lammps $DEB_VERSION ($ORIG_TARBALL)"
  [[ "$listed" == "$ORIG_SHA256 $ORIG_SIZE" ]] \
    || die "the $SOURCE_SUITE Sources index lists $ORIG_TARBALL as '$listed', not '$ORIG_SHA256 $ORIG_SIZE'"
  log "the $SOURCE_SUITE Sources index lists $ORIG_TARBALL with the expected sha256 and size"
}

fetch_orig_tarball() {
  local dest="$1"
  tarball_is_verified "$dest/$ORIG_TARBALL" && return 0
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
  check_source_index "$apt_dir/lists"
  log "downloading lammps $DEB_VERSION sources"
  # The .dsc is known to 404 on some mirrors while the orig tarball downloads; only the tarball is needed.
  (cd "$dest" && apt-get "${apt_opts[@]}" source --download-only "lammps=$DEB_VERSION" >&2) \
    || log "apt-get source reported an error; checking whether the orig tarball arrived"
  [[ -f "$dest/$ORIG_TARBALL" ]] || die "download of $ORIG_TARBALL failed"
  tarball_is_verified "$dest/$ORIG_TARBALL" \
    || die "$ORIG_TARBALL does not have the expected size $ORIG_SIZE and sha256 $ORIG_SHA256"
  log "verified size and sha256 of $ORIG_TARBALL"
}

ensure_debian_packages "${BUILD_PACKAGES[@]}" || die "cannot install the build dependencies"
mkdir -p "$prefix/download" "$prefix/src"
fetch_orig_tarball "$prefix/download"
if [[ ! -f "$prefix/src/$TREE_NAME/src/lammpsplugin.h" ]]; then
  log "unpacking $ORIG_TARBALL"
  # Some orig tarballs hold a top directory (lammps-4Feb2025/), others the tree itself (20260704).
  rm -rf "$prefix/src/$TREE_NAME" "$prefix/src/.unpack"
  mkdir -p "$prefix/src/.unpack"
  tar -xf "$prefix/download/$ORIG_TARBALL" -C "$prefix/src/.unpack"
  top=("$prefix/src/.unpack"/*)
  if [[ ${#top[@]} -eq 1 && -d "${top[0]}" ]]; then
    mv "${top[0]}" "$prefix/src/$TREE_NAME"
    rmdir "$prefix/src/.unpack"
  else
    mv "$prefix/src/.unpack" "$prefix/src/$TREE_NAME"
  fi
  [[ -f "$prefix/src/$TREE_NAME/src/lammpsplugin.h" ]] || die "$ORIG_TARBALL holds no src/lammpsplugin.h"
fi

launcher=()
command -v ccache >/dev/null && launcher=(-D CMAKE_CXX_COMPILER_LAUNCHER=ccache -D CMAKE_C_COMPILER_LAUNCHER=ccache)
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
jobs=${CRYOCYCLE_JOBS:-$(nproc)}

log "configuring LAMMPS (${LAMMPS_OPTIONS[*]})"
cmake -S "$prefix/src/$TREE_NAME/cmake" -B "$prefix/build" "${generator[@]}" "${launcher[@]}" \
      -D CMAKE_INSTALL_PREFIX="$prefix" "${LAMMPS_OPTIONS[@]}" >&2
log "building LAMMPS $HOST_VERSION with $jobs jobs (about 13 minutes on 2 cores the first time)"
SECONDS=0
cmake --build "$prefix/build" --parallel "$jobs" >&2
cmake --install "$prefix/build" >&2
log "built and installed in $((SECONDS / 60)) min $((SECONDS % 60)) s"

# The package list of lmp -h (read whole: a reader that stops early would end lmp with SIGPIPE).
packages=$("$prefix/bin/lmp" -h | awk '/^Installed packages:/ { on = 1; next } on && /^List of/ { on = 0 } on')
for package in PLUGIN OPENMP; do
  grep -qw -- "$package" <<<"$packages" || die "the built lmp does not list the $package package"
done
echo "$stamp_text" > "$stamp"
echo "$prefix"
