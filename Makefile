# Hestia: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DEBUG=true

.PHONY: help install run serve migrate seed messages compilemessages test test-fast lint format check lock clean

help:
	@echo "make run      set up everything and serve the demo on http://127.0.0.1:8000"
	@echo "make test     run the whole test suite"
	@echo "make lint     ruff, formatting and migration checks"
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

test: compilemessages
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

lock: install
	$(VENV)/bin/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
