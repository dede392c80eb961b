# Sourced by the other scripts: makes sure the machine and .venv hold what the
# project needs, installing only what is missing, so a fresh Debian machine and
# a warm one run the same command.
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$PROJECT_DIR/.venv"
PYTHON="${PYTHON:-python3}"

log() { printf '[patternbook] %s\n' "$*" >&2; }

# ensure_system_packages COMMAND=PACKAGE | PACKAGE ... : apt-get install what is missing
# (a COMMAND not on PATH, or a PACKAGE that dpkg does not know as installed).
ensure_system_packages() {
  local missing=() item
  for item in "$@"; do
    if [[ "$item" == *=* ]]; then
      command -v "${item%%=*}" >/dev/null 2>&1 || missing+=("${item#*=}")
    else
      dpkg-query -W -f='${Status}' "$item" 2>/dev/null | grep -q "ok installed" || missing+=("$item")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    log "please install: ${missing[*]} (no apt-get on this machine)"; return 1
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  log "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_venv EXTRAS : create .venv and install the project (editable) with EXTRAS,
# again only when pyproject.toml changed since the last install.
ensure_venv() {
  local extras="${1:-}" stamp
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  stamp="$VENV/.installed-$(sha256sum "$PROJECT_DIR/pyproject.toml" | cut -c1-16)-${extras:-base}"
  if [ ! -f "$stamp" ]; then
    log "installing Python packages${extras:+ ($extras)}"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$PROJECT_DIR${extras:+[$extras]}"
    touch "$stamp"
  fi
}
