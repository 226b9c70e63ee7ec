# Sourced by the tools/ scripts: install Debian packages that are missing (root or sudo).
# ensure_debian_packages PKG...   installs only what dpkg does not list as installed; runs
#                                 `apt-get update` first whenever it has to install anything.

ensure_debian_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  local sudo=()
  if ((EUID != 0)); then
    if ! command -v sudo >/dev/null; then
      echo "ERROR: missing Debian packages: ${missing[*]}; install them as root" >&2
      return 1
    fi
    sudo=(sudo)
  fi
  echo "installing Debian packages: ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" > /tmp/cryocycle-apt.log 2>&1 || {
      tail -20 /tmp/cryocycle-apt.log >&2
      echo "ERROR: apt-get install failed (log: /tmp/cryocycle-apt.log)" >&2
      return 1
    }
}
