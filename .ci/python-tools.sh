#!/usr/bin/env bash
# Python tools the contract and lineage tests check assay's output with
# (.ci/python-tools.txt says which and why). Source it:
#   . .ci/python-tools.sh && py_tools   # exports ASSAY_PY_TOOLS (a virtual environment)
# Installs into .cache/py-tools (or $ASSAY_PY_TOOLS) once; later calls reuse it.
py_tools() {
  local dir=${ASSAY_PY_TOOLS:-$PWD/.cache/py-tools}
  local stamp="$dir/.requirements"
  if ! cmp -s .ci/python-tools.txt "$stamp" 2>/dev/null; then
    python3 -m venv "$dir"
    "$dir/bin/pip" install -q --disable-pip-version-check -r .ci/python-tools.txt
    cp .ci/python-tools.txt "$stamp"
  fi
  export ASSAY_PY_TOOLS=$dir
}
