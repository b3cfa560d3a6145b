#!/usr/bin/env bash
# Set up everything evaltools needs on Debian, idempotently:
#   scripts/setup.sh          what rendering reports needs
#   scripts/setup.sh test     ... plus what the test suite needs
#   scripts/setup.sh dask     ... plus Dask distributed (a scheduler or worker of `evaltools batch --scheduler`)
#   scripts/setup.sh lab      ... plus JupyterLab in its own venv (.venv-lab)
# Debian packages are installed only when missing (apt-get update only then);
# Python packages go into the project's .venv, reinstalled only when
# pyproject.toml changed. Set PYTHON to choose the interpreter (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
want="${1:-report}"
python="${PYTHON:-python3}"

# Fonts with full Vietnamese coverage and the libraries WeasyPrint draws with.
# Liberation Serif has Times New Roman's metrics: the official format's font (Nghị định 30/2020).
apt_pkgs=(fonts-liberation2 fonts-noto-core fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
# Tests read the PDF with pdftotext and open the HTML in headless Chromium.
[ "$want" = test ] && apt_pkgs+=(poppler-utils chromium)

missing=()
for pkg in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

make_venv() {  # $1: folder
  if [ ! -x "$1/bin/python" ]; then
    "$python" -m venv "$1"
    # A fresh venv's pip (23.x) resolves about twice as slowly as a current one.
    "$1/bin/python" -m pip install -q --upgrade pip
  fi
}

make_venv .venv
extras=""; [ "$want" = test ] && extras="[test]"
[ "$want" = dask ] && extras="[dask]"
stamp=".venv/.installed-${want/lab/report}"
# a test install holds everything a report needs
[ "$want" != test ] && [ -f .venv/.installed-test ] && ! [ pyproject.toml -nt .venv/.installed-test ] \
  && stamp=.venv/.installed-test
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages into .venv ${extras}"
  .venv/bin/python -m pip install -q -e ".${extras}"
  # Compile our own modules once: these machines set PYTHONDONTWRITEBYTECODE, so
  # otherwise every kernel start would compile them again.
  .venv/bin/python -m compileall -q src
  touch "$stamp"
fi

# Committed notebooks carry no outputs: git strips them on `git add` (.gitattributes names the filter),
# whatever the target: a notebook saved in JupyterLab after `make lab` or `make report` is committed
# without its outputs too. Git runs a filter at the top of the working tree, so the relative path
# names each clone's (or worktree's) own .venv. JupyterLab's save also writes the kernel's language_info in
# full (its Python version, lexer, mimetype): only its name is kept, so a save after Run All commits nothing.
if git rev-parse --git-dir >/dev/null 2>&1; then
  info=metadata.language_info
  git config filter.nbstripout.clean ".venv/bin/python -m nbstripout --keep-id --extra-keys \"$info.codemirror_mode \
$info.file_extension $info.mimetype $info.nbconvert_exporter $info.pygments_lexer $info.version\""
  git config filter.nbstripout.smudge cat
fi

# The kernel the notebooks name ("evaltools"), registered inside the project's .venv, so that the
# .venv's papermill, nbconvert and jupyter find it without `-k` (its real path: the kernel outlives
# a symlinked folder).
venv="$(cd .venv && pwd -P)"
if [ ! -f .venv/share/jupyter/kernels/evaltools/kernel.json ] || \
   ! grep -q "\"$venv/bin/python\"" .venv/share/jupyter/kernels/evaltools/kernel.json; then
  "$venv/bin/python" -m ipykernel install --sys-prefix --name evaltools --display-name "evaltools (.venv)" >/dev/null
fi

if [ "$want" = lab ]; then
  make_venv .venv-lab
  if [ ! -f .venv-lab/.installed ] || [ pyproject.toml -nt .venv-lab/.installed ]; then
    .venv-lab/bin/python -m pip install -q "jupyterlab>=4.2"
    touch .venv-lab/.installed
  fi
  # The project's kernel: the .venv interpreter, registered in the lab venv too.
  "$venv/bin/python" -m ipykernel install --prefix .venv-lab --name evaltools \
    --display-name "evaltools (.venv)" >/dev/null
fi
