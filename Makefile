# evaltools: the two commands of the README, plus helpers.
#   make report   set up, then render the default review (HTML + PDF) into outputs/ct20-2012-2017/
#   make test     set up (with test tools), then run the whole test suite
# Both are idempotent; set-up installs only what is missing.

PY := .venv/bin/python
REVIEW ?= data/reviews/ct20-2012-2017.yaml

.PHONY: report test setup lab bench clean

report:
	@scripts/setup.sh report
	$(PY) -m evaltools run $(REVIEW)

test:
	@scripts/setup.sh test
	$(PY) -m pytest

setup:
	@scripts/setup.sh test

bench:
	@scripts/setup.sh test
	$(PY) benchmarks/indicators.py

clean:
	rm -rf outputs .pytest_cache
