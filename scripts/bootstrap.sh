# Sourced by the other scripts: makes sure the machine and .venv hold what the
# project needs, installing only what is missing, so a fresh Debian machine and
# a warm one run the same command.
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PATTERNBOOK_VENV:-$PROJECT_DIR/.venv}"
LOCK="$PROJECT_DIR/requirements/lock.txt"
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

# ensure_node_packages DIR : `npm ci` in DIR (a folder with package.json and package-lock.json)
# when its node_modules was not installed from the lock as it is now.
ensure_node_packages() {
  local folder="$PROJECT_DIR/$1" stamp
  stamp="$folder/node_modules/.installed-$(sha256sum < "$folder/package-lock.json" | cut -c1-16)"
  [ -f "$stamp" ] && return 0
  command -v npm >/dev/null 2>&1 || { log "please install Node.js and npm (needed by $1)"; return 1; }
  log "installing the locked npm packages of $1 (npm ci)"
  (cd "$folder" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
  touch "$stamp"
}

# pip_install ARGS... : pip without the machine's own find-links, extra indexes and constraints,
# so the lock alone decides what is installed (and every file is checked against its hash).
pip_install() {
  PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= PIP_CONSTRAINT= \
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-input "$@"
}

# ensure_venv : create .venv and install the locked dependency tree (runtime, test tools and
# engines, every file checked against its hash) plus the project itself (editable, without
# build isolation, so the build backend comes from the lock too). Runs again only when the
# lock or pyproject.toml changed since the last install.
ensure_venv() {
  local stamp
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  stamp="$VENV/.installed-$(cat "$LOCK" "$PROJECT_DIR/pyproject.toml" | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    log "installing the locked Python packages (requirements/lock.txt)"
    rm -f "$VENV"/.installed-*
    pip_install --require-hashes --no-deps -r "$LOCK"
    pip_install --no-deps --no-build-isolation -e "$PROJECT_DIR"
    "$VENV/bin/python" -m pip check --disable-pip-version-check >/dev/null \
      || { "$VENV/bin/python" -m pip check; log "the lock is inconsistent: run bash scripts/lock"; return 1; }
    touch "$stamp"
  fi
}

# ensure_locked_venv DIR LOCK WHAT : a virtual environment in DIR holding exactly the hashed lock
# LOCK (every file checked against its hash, nothing resolved), installed again only when the lock
# changes, then checked with `pip check`. WHAT names it in the log. For the side environments of
# packages that cannot share .venv/ with the rest.
ensure_locked_venv() {
  local venv="$1" lock="$2" what="$3" stamp
  if [ ! -x "$venv/bin/python" ]; then
    log "creating $venv"
    "$PYTHON" -m venv "$venv"
  fi
  stamp="$venv/.installed-$(sha256sum < "$lock" | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    log "installing $what (${lock#"$PROJECT_DIR"/})"
    rm -f "$venv"/.installed-*
    PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= PIP_CONSTRAINT= "$venv/bin/python" -m pip install -q \
      --disable-pip-version-check --no-input --require-hashes --no-deps -r "$lock"
    "$venv/bin/python" -m pip check --disable-pip-version-check >/dev/null \
      || { "$venv/bin/python" -m pip check; log "${lock#"$PROJECT_DIR"/} is inconsistent: run bash scripts/lock"; return 1; }
    touch "$stamp"
  fi
}

# ensure_techdocs_venv : .venv-techdocs, Backstage's TechDocs builder (mkdocs-techdocs-core and what
# it pins, requirements/techdocs.txt) without Patternbook: the suite builds
# `patternbook export --techdocs` output with it, as Backstage would.
TECHDOCS_VENV="${PATTERNBOOK_TECHDOCS_VENV:-$PROJECT_DIR/.venv-techdocs}"
ensure_techdocs_venv() {
  ensure_locked_venv "$TECHDOCS_VENV" "$PROJECT_DIR/requirements/techdocs.txt" "Backstage's TechDocs builder" \
    || return 1
  export PATTERNBOOK_TECHDOCS_PYTHON="$TECHDOCS_VENV/bin/python"
}

# ensure_materialx_venv : .venv-materialx, Patternbook on ProperDocs with the MaterialX theme
# (requirements/materialx.txt: the runtime dependencies, ProperDocs and mkdocs-materialx, without
# mkdocs-material, whose package named `material` MaterialX's would overwrite). Patternbook is this
# checkout's src/ on the path (the .pth file an editable install writes): the ProperDocs engine
# loads no plugin, so no entry point is needed, and an editable install would need the build
# backend in this lock too. The suite builds the shipped catalogue with it as the fourth engine
# combination (tests/engines).
MATERIALX_VENV="${PATTERNBOOK_MATERIALX_VENV:-$PROJECT_DIR/.venv-materialx}"
ensure_materialx_venv() {
  local site_packages
  ensure_locked_venv "$MATERIALX_VENV" "$PROJECT_DIR/requirements/materialx.txt" "ProperDocs with MaterialX" \
    || return 1
  site_packages="$("$MATERIALX_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"
  printf '%s\n' "$PROJECT_DIR/src" > "$site_packages/patternbook-checkout.pth"
  export PATTERNBOOK_MATERIALX_PYTHON="$MATERIALX_VENV/bin/python"
}

# main_lock_extras : `--extra NAME` for every extra of pyproject.toml but materialx, the extras
# requirements/lock.txt (and the drift check) hold; materialx cannot share an environment with
# mkdocs-material, so requirements/materialx.txt locks it apart.
main_lock_extras() {
  "$VENV/bin/python" - "$PROJECT_DIR/pyproject.toml" <<'PY'
import sys
import tomllib

with open(sys.argv[1], "rb") as pyproject:
    extras = tomllib.load(pyproject)["project"]["optional-dependencies"]
print(" ".join(f"--extra {name}" for name in extras if name != "materialx"))
PY
}
