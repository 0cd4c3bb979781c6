# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.test-installed
PORT ?= 8501
# Without an editor password the app serves this machine only, so nothing is writable from elsewhere.
# To share it: set PARKS_EDITOR_PASSWORD_HASH (python -m loaders password) and run `make run ADDRESS=0.0.0.0`.
ADDRESS ?= 127.0.0.1

.PHONY: run test data setup test-setup bench bench-scale clean

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "Python 3.11 or newer is needed, and '$(PY)' is not: install it and run make again with PY=python3.11 (or newer)" >&2; \
		exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

# data/ is rebuilt when an article, a loader or one of its data files is newer than it
data/facts.csv: $(STAMP) $(wildcard seeds/*) $(wildcard data/articles/*.txt) $(wildcard loaders/*.py) $(wildcard loaders/*/*.py) $(wildcard loaders/data/*.yaml)
	$(BIN)/python -m loaders build

data: data/facts.csv

run: data
	@if [ "$(ADDRESS)" != "127.0.0.1" ] && [ "$(ADDRESS)" != "localhost" ] && [ -z "$$PARKS_EDITOR_PASSWORD_HASH" ] \
		&& ! grep -qs '^editor_password_hash' .streamlit/secrets.toml; then \
		echo "refusing to serve on $(ADDRESS) without an editor password: set PARKS_EDITOR_PASSWORD_HASH (python -m loaders password)"; \
		exit 2; \
	fi
	$(BIN)/streamlit run app.py --server.headless true --server.address $(ADDRESS) --server.port $(PORT) \
		--browser.gatherUsageStats false

$(TEST_STAMP): $(STAMP) requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@sh .ci/test-deps.sh
	touch $(TEST_STAMP)

test-setup: $(TEST_STAMP)

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/build_speed.py
	$(BIN)/python bench/dashboard_speed.py
	$(BIN)/python bench/incremental.py
	$(BIN)/python bench/xlsx_speed.py
	$(BIN)/python bench/json_speed.py

# the budgets of issue 18 at 20,000 articles (10-20 minutes) and the engines side by side
bench-scale: $(STAMP)
	$(BIN)/python bench/engines.py
	$(BIN)/python bench/scale.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
