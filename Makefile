# Hestia: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DEBUG=true

.PHONY: help install run serve migrate seed messages compilemessages test test-fast lint format check lock clean security

help:
	@echo "make run      set up everything and serve the demo on http://127.0.0.1:8000"
	@echo "make test     run the whole test suite"
	@echo "make lint     ruff, formatting and migration checks"
	@echo "make security bandit on the code and pip-audit on requirements.lock"
	@echo "make messages extract new strings into locale/*/LC_MESSAGES/django.po"
	@echo "make lock     re-lock requirements.lock from pyproject.toml"

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade "pip>=24"
	$(VENV)/bin/pip install --quiet --require-virtualenv -r requirements.lock
	touch $@

install: $(VENV)/.installed

# Django's compilemessages needs GNU gettext; Babel (in the lock) does the same job without it.
compilemessages: install
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv --verbosity 0; \
	else \
		$(VENV)/bin/pybabel compile --domain django --directory locale --statistics; \
	fi

messages: install
	$(DEV_ENV) $(PY) manage.py makemessages --all --ignore=.venv --ignore=staticfiles --no-obsolete --add-location file

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput

seed: migrate
	$(DEV_ENV) $(PY) manage.py seed_demo

run: compilemessages seed
	@echo "Serving Hestia on http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# One test process per core (pytest-xdist); TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= auto
test: compilemessages
	$(PY) -m pytest -n $(TEST_WORKERS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Security checks (CI runs them too): bandit fails on any medium or high finding not justified
# on its line; pip-audit fails on any known vulnerability in a locked version, or on a version it
# cannot check. pip-audit asks PyPI's JSON API about each exact version; where that API cannot be
# reached the audit is skipped with a message, unless HESTIA_AUDIT_REQUIRED=1.
PYPI_VERSION_API := https://pypi.org/pypi/pip/24.0/json

security: install
	$(VENV)/bin/bandit -c pyproject.toml -r . --severity-level medium --quiet
	@if $(PY) -c "import urllib.request as u; u.urlopen('$(PYPI_VERSION_API)', timeout=20).close()" 2>/dev/null; then \
		echo "$(VENV)/bin/pip-audit -r requirements.lock --strict --no-deps --disable-pip"; \
		$(VENV)/bin/pip-audit -r requirements.lock --strict --no-deps --disable-pip --progress-spinner off; \
	elif [ "$${HESTIA_AUDIT_REQUIRED:-}" = "1" ]; then \
		echo "HESTIA_AUDIT_REQUIRED=1 but PyPI's JSON API ($(PYPI_VERSION_API)) cannot be reached."; \
		exit 1; \
	else \
		echo "SKIPPED pip-audit: PyPI's JSON API ($(PYPI_VERSION_API)) cannot be reached from here;"; \
		echo "  set HESTIA_AUDIT_REQUIRED=1 to make this an error."; \
	fi

lock: install
	$(VENV)/bin/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
