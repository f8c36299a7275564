# The two commands of the README: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
# One test process per core (pytest-xdist); each gets its own test database.
PYTEST_ARGS ?= -n auto -m "not postgres"
# The race tests (-m postgres) open dozens of connections each, by threads: they run
# after the rest, in one process, one after another (never two at once past PostgreSQL's
# max_connections of 100). On SQLite they are skipped.
RACE_ARGS ?= -p no:xdist -m postgres
# What differs between SQLite and PostgreSQL: the first run (demo data), search,
# migrations, settings, the inventory's and the departures' locking fallback and the
# storefront API's catalogue. CI runs the whole suite on PostgreSQL and these again on SQLite:
# make test PYTEST_ARGS="-n auto $(SQLITE_TESTS)".
SQLITE_TESTS := tests/test_demo.py tests/test_demo_pages.py tests/test_search.py \
	tests/test_migrations.py tests/test_settings.py tests/test_formats.py \
	tests/showroom/test_inventory.py tests/combos/test_inventory.py tests/pos/test_sales.py \
	tests/graphql/test_catalogue.py tests/experiences/test_places.py

.PHONY: print-sqlite-tests run test install migrate demo lint messages clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (python3.11 not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput

demo: migrate
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo

run: demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(BIN)/python -m pytest $(RACE_ARGS)

print-sqlite-tests:
	@echo $(SQLITE_TESTS)

lint: install
	$(BIN)/ruff check .

messages: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l vi -l en --no-obsolete \
		--ignore='.venv/*' --ignore='var/*' --ignore='tests/*' --ignore='bench/*'
	@echo "Translate the new entries of locale/en/LC_MESSAGES/django.po (check any marked fuzzy)."
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var db.sqlite3
