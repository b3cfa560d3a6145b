# evaltools: the two commands of the README, plus helpers.
#   make report   set up, then render the default review (HTML + PDF) into outputs/ct20-2012-2017/
#   make test     set up (with test tools), then run the whole test suite
# Both are idempotent; set-up installs only what is missing.
#   make lab      JupyterLab (its own venv, .venv-lab) on notebooks/explore.ipynb, in the project's kernel

PY := .venv/bin/python
REVIEW ?= ct20-2012-2017

.PHONY: report test setup lab bench clean

report:
	@scripts/setup.sh report
	$(PY) -m evaltools run $(REVIEW)

# The suite runs on two workers (pytest-xdist), a test file per worker at a time, so that a file's shared
# render (a module fixture) is made once; the sample reports are rendered once for both (tests/conftest.py).
# The files go out in the order tests/conftest.py gives them, the longest first (xdist's own reordering,
# by the number of tests, would send the long files of a few tests last).
TEST_WORKERS ?= 2
test:
	@scripts/setup.sh test
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

setup:
	@scripts/setup.sh test

# The notebooks name the kernel "evaltools", the project's .venv Python, which setup.sh registers in
# .venv for every target (papermill and nbconvert find it) and in .venv-lab for JupyterLab. LAB_ARGS passes options on, e.g. LAB_ARGS="--no-browser --port 8899".
# Jupyter refuses to run as root unless told: set-up runs as root on a fresh machine.
LAB_ARGS ?=
lab:
	@scripts/setup.sh lab
	.venv-lab/bin/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks/explore.ipynb \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

bench:
	@scripts/setup.sh test
	$(PY) benchmarks/indicators.py

clean:
	rm -rf outputs .pytest_cache
