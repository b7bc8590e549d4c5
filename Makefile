# God Mode — set-up and checks.  `make test` and `make demo` work on a fresh Debian machine:
# they install what is missing (system packages with apt-get, Python packages in .venv).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
EXTRAS ?= dev
# make test-lowest's virtualenv: the lowest version of every direct dependency allowed.
LOWEST_VENV ?= .venv-lowest

# System packages the test suite uses, as command:package pairs (a command may be a path glob).
# redis-server: the Redis store; PostgreSQL's server binaries (not on PATH in Debian) and psql:
# the PostgreSQL tests; dbus-daemon + gnome-keyring-daemon: a real Secret Service for the keyring;
# wrk: the ingest benchmark (its smoke mode runs in the suite); node, npm, chromium and openssl:
# the extension's tests (headless Chromium, an HTTPS certificate made by the test); faketime
# (and the libfaketime it brings): Chromium with a wrong clock, as on a broadcaster's PC;
# systemd-analyze and promtool (prometheus): checking deploy/'s unit and alert rules; podman
# and debootstrap: building the server's container image on a base made here; aplay (alsa-utils):
# the alert sounds, played on ALSA's null device; Xvfb, trayer (an XEmbed system tray), xwininfo
# (x11-utils) and xdotool: the real system tray's tests, on a virtual screen; openbox: the window
# manager of the journey test (real key presses and clicks, tests/desktop/test_journey.py).
SYSTEM_PACKAGES := redis-server:redis-server /usr/lib/postgresql/*/bin/initdb:postgresql \
	psql:postgresql-client dbus-daemon:dbus gnome-keyring-daemon:gnome-keyring wrk:wrk \
	node:nodejs npm:npm chromium:chromium openssl:openssl faketime:faketime \
	systemd-analyze:systemd promtool:prometheus podman:podman debootstrap:debootstrap \
	aplay:alsa-utils Xvfb:xvfb trayer:trayer xwininfo:x11-utils xdotool:xdotool \
	openbox:openbox
# Qt's xcb platform plugin (a real window on X11: the demo, the tray's tests) needs these besides
# what a Debian image has.
XCB_PACKAGES := libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
	libxkbcommon-x11-0 libxcb-xinerama0 libxcb-randr0 libxcb-shape0 libxcb-xkb1 libxcb-cursor0
# Libraries Qt loads even offscreen (the window's tests), checked by package on Debian systems.
QT_PACKAGES := libegl1 libgl1 libfontconfig1 libfreetype6 libxkbcommon0 libglib2.0-0 \
	libx11-6 libdbus-1-3 $(XCB_PACKAGES)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: coverage extension dist lock test-lowest static-checks image help install system-deps demo-deps translations i18n-update demo test test-extension bench soak lint format server clean

help:
	@echo "make demo     install everything needed and run the demo: server, simulated studio, app"
	@echo "make test     install everything needed and run the whole test suite (under 20 min on 2 cores)"
	@echo "make test-extension   only the extension's tests (node, headless Chromium)"
	@echo "make test-lowest      the fast tests on the lowest dependency versions allowed"
	@echo "make coverage         the whole pytest suite measured by coverage (~25 min on 2 cores): build/coverage/"
	@echo "make lock     pin the image's and the bundle's dependencies (deploy/locks/)"
	@echo "make extension   the collector packed: dist/godmode-collector-VERSION.zip and .crx (signed)"
	@echo "make dist     the standalone app: dist/godmode-VERSION-linux-x86_64.tar.gz (PyInstaller)"
	@echo "make bench    run the benchmarks (minutes); record the figures in docs/PERFORMANCE.md"
	@echo "make soak     the fault drills in turn under 60 s of load, exactly-once checked (2 min)"
	@echo "make server   run the backend in dev mode on http://127.0.0.1:3000"
	@echo "make image    build the server's container image with podman (deploy/Containerfile)"
	@echo "make lint     ruff, mypy, the import contracts (import-linter) and dead code (vulture)"
	@echo "make format   ruff format and autofix"
	@echo "make translations   compile resources/i18n/*.ts into .qm (done by test and demo)"
	@echo "make i18n-update    refresh the .ts files from the sources (then translate in Qt Linguist)"

$(VENV)/.installed-$(EXTRAS): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $@

install: $(VENV)/.installed-$(EXTRAS)

# Qt Linguist: the .ts sources are committed, the compiled .qm files are built.
TS_FILES := $(wildcard resources/i18n/*.ts)
QM_FILES := $(TS_FILES:.ts=.qm)

resources/i18n/%.qm: resources/i18n/%.ts $(VENV)/.installed-$(EXTRAS)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

translations: $(QM_FILES)

i18n-update: install
	$(VENV)/bin/pyside6-lupdate -tr-function-alias tr+=tr $(wildcard godmode_desktop/*.py godmode_desktop/*/*.py) -ts $(TS_FILES)

system-deps:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do \
		command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	if command -v dpkg-query >/dev/null 2>&1; then for pkg in $(QT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" \
			|| missing="$$missing $$pkg"; done; fi; \
	if [ -n "$$missing" ]; then \
		if command -v apt-get >/dev/null 2>&1; then \
			echo "installing system packages:$$missing"; \
			$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
		else \
			echo "missing system packages:$$missing — install them with your package manager"; exit 1; \
		fi; \
	fi

# xvfb gives the demo a virtual screen where there is no display.
DEMO_PACKAGES := $(XCB_PACKAGES)
HEADLESS := $(if $(DISPLAY)$(WAYLAND_DISPLAY),,yes)

demo-deps:
	@missing=""; for pkg in $(DEMO_PACKAGES) $(if $(HEADLESS),xvfb xauth); do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" \
			|| missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
		if command -v apt-get >/dev/null 2>&1; then \
			echo "installing system packages:$$missing"; \
			$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
		elif ! command -v dpkg-query >/dev/null 2>&1; then \
			echo "not a Debian system: Qt's X11 plugin needs the xcb libraries icccm, keysyms, image,"; \
			echo "render-util, xinerama, randr, shape, xkb, cursor and xkbcommon-x11 (your package"; \
			echo "manager's names for them), and Xvfb where there is no display"; \
		else \
			echo "missing system packages:$$missing — install them with apt-get"; exit 1; \
		fi; \
	fi

demo: install translations demo-deps
ifeq ($(HEADLESS),yes)
	@echo "No display here: the window opens on a virtual screen (Xvfb). To see it, run make demo"
	@echo "on a desktop, or take a picture: .venv/bin/godmode demo --screenshot demo.png"
	xvfb-run -a -s "-screen 0 1280x800x24" $(VENV)/bin/godmode demo
else
	$(VENV)/bin/godmode demo
endif

# The extension's test and lint tools (jsdom, playwright-core, ws, eslint) from package-lock.json;
# the extension itself needs no package.
EXT_MODULES := extension/node_modules/.installed

$(EXT_MODULES): extension/package-lock.json
	npm ci --prefix extension --no-audit --no-fund --loglevel=error
	touch $@

# The bare Node broadcast server the benchmarks compare against (npm ws, from its lock).
BENCH_NODE_MODULES := benchmarks/node_broadcast/node_modules/.installed

$(BENCH_NODE_MODULES): benchmarks/node_broadcast/package-lock.json
	npm ci --prefix benchmarks/node_broadcast --no-audit --no-fund --loglevel=error
	touch $@

# The whole suite: the static checks, the lowest dependencies' run and the extension's node tests
# in the background beside the main pytest run, which itself runs on every core (pytest-xdist).
# --dist loadfile keeps a file's tests on one worker, so a module's fixture (the bundle, the
# image) is built once; builds in the checkout take turns (tests/helpers/source_tree.py).
# (xdist's loadgroup would be finer, but with pytest 9.2 it no longer groups anything.)
# tests/stages.py prints each stage's output and time; the logs stay in build/test-logs.
# Coverage (coverage.py, pyproject.toml's [tool.coverage]: the test processes and every Python
# process they start, servers included) is `make coverage`: the whole main run measured (about
# five minutes longer).  make test measured its lowest-versions stage until that stage, traced
# beside the main run on the same two cores, took 17-18 of make test's 24 minutes: the figure
# is not worth the 20-minute budget.  The report is kept in build/coverage/ (report.txt, html/).
PYTEST_WORKERS ?= auto
COVERAGE_DIR := build/coverage
COVERAGE_REPORT = $(1) -m coverage combine --quiet && \
	$(1) -m coverage report > $(COVERAGE_DIR)/report.txt && \
	$(1) -m coverage html --quiet --directory $(COVERAGE_DIR)/html && \
	echo "coverage of $(2): $$($(1) -m coverage report --format=total) % of the lines of godmode_server, godmode_desktop and godmode_common ($(COVERAGE_DIR)/report.txt)"
test: install system-deps translations $(EXT_MODULES) $(BENCH_NODE_MODULES) $(LOWEST_VENV)/.installed
	$(PY) -m tests.stages \
		"static-checks=$(MAKE) --no-print-directory static-checks" \
		"test-lowest=$(MAKE) --no-print-directory test-lowest" \
		"extension=cd extension && GODMODE_SERVER_BIN=$(abspath $(VENV))/bin/godmode-server npm test" \
		-- $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile

coverage: install system-deps translations $(EXT_MODULES) $(BENCH_NODE_MODULES)
	rm -rf $(COVERAGE_DIR) && mkdir -p $(COVERAGE_DIR)
	$(PY) -m coverage run -m pytest -n $(PYTEST_WORKERS) --dist loadfile
	@$(call COVERAGE_REPORT,$(PY),the whole pytest suite)

test-extension: install system-deps $(EXT_MODULES)
	cd extension && GODMODE_SERVER_BIN=$(abspath $(VENV))/bin/godmode-server npm test

# The server's container image (deploy/Containerfile), built with podman from the project's wheel.
# IMAGE_BASE: any Debian-like image with python3 >= 3.11 and its venv module (default: the
# official slim Python image; tests/deploy/test_image.py uses one made here with debootstrap).
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
IMAGE_TAG ?= godmode-server:$(VERSION)
IMAGE_BASE ?=
image: install
	rm -rf build/image && mkdir -p build/image
	$(PY) -m pip wheel --quiet --no-deps --wheel-dir build/image .
	cp deploy/Containerfile deploy/locks/server.txt build/image/
	podman build --format docker --isolation chroot --network host \
		-v /etc/ssl/certs:/etc/ssl/certs:ro $(if $(IMAGE_BASE),--build-arg BASE=$(IMAGE_BASE)) \
		-t $(IMAGE_TAG) -f build/image/Containerfile build/image

# The versions the image and the app bundle install: every dependency pinned, with hashes, for
# the Linux x86_64 CPython 3.11 they are built on (server.txt: the image; app.txt: make dist).  Run after changing a dependency;
# tests/deploy/test_lock.py fails while the lock does not satisfy pyproject.toml.
LOCK_OPTIONS := --generate-hashes --python-version 3.11 --custom-compile-command "make lock" --quiet
# Qt's wheels need glibc 2.34 (Debian 12 has 2.36).
SERVER_PLATFORM := --python-platform x86_64-unknown-linux-gnu
APP_PLATFORM := --python-platform x86_64-manylinux_2_34
LOCK := deploy/locks/server.txt
LOCK_OUT ?= $(LOCK)
APP_LOCK := deploy/locks/app.txt
APP_LOCK_OUT ?= $(APP_LOCK)
lock: install
	[ "$(LOCK_OUT)" = "$(LOCK)" ] || cp $(LOCK) $(LOCK_OUT)  # its pins are uv's preferences
	[ "$(APP_LOCK_OUT)" = "$(APP_LOCK)" ] || cp $(APP_LOCK) $(APP_LOCK_OUT)
	$(VENV)/bin/uv pip compile pyproject.toml --extra server $(LOCK_OPTIONS) $(SERVER_PLATFORM) -o $(LOCK_OUT)
	$(VENV)/bin/uv pip compile pyproject.toml --extra bundle $(LOCK_OPTIONS) $(APP_PLATFORM) -o $(APP_LOCK_OUT)

# The standalone app (PyInstaller, deploy/bundle/godmode.spec): a virtualenv of exactly the
# locked versions and the project's wheel, bundled into one folder with one executable, packed
# as dist/godmode-VERSION-linux-x86_64.tar.gz.  It carries the server, for `godmode demo`.
DIST_VENV := build/dist-venv
BUNDLE := dist/godmode-$(VERSION)-linux-x86_64.tar.gz
dist: install translations
	rm -rf $(DIST_VENV) build/dist-wheel build/pyinstaller build/bundle
	$(VENV)/bin/uv venv --quiet --python $(PYTHON) $(DIST_VENV)
	VIRTUAL_ENV=$(abspath $(DIST_VENV)) $(VENV)/bin/uv pip install --quiet --require-hashes \
		-r $(APP_LOCK)
	$(PY) -m pip wheel --quiet --no-deps --wheel-dir build/dist-wheel .
	VIRTUAL_ENV=$(abspath $(DIST_VENV)) $(VENV)/bin/uv pip install --quiet --no-deps \
		build/dist-wheel/godmode-*.whl
	cd deploy/bundle && $(abspath $(DIST_VENV))/bin/pyinstaller --noconfirm --log-level WARN \
		--distpath $(abspath build/bundle) --workpath $(abspath build/pyinstaller) godmode.spec
	mkdir -p dist && tar -C build/bundle -czf $(BUNDLE) godmode
	@echo "$(BUNDLE): $$(du -h $(BUNDLE) | cut -f1) packed, $$(du -sh build/bundle/godmode | cut -f1) unpacked"

# The Chrome collector packed for IT (docs/COLLECTORS.md): dist/godmode-collector-VERSION.zip
# (Load unpacked, stores) and .crx (policies, self-hosted updates), signed with the studio's key.
# The key is made once when missing — keep it safe and out of version control: it fixes the
# extension's id on every PC, and whoever holds it can publish updates they install.
# EXTENSION_UPDATE_URL: the backend's update manifest, e.g.
# https://tracking.studio.example/api/collectors/extension/updates.xml (for self-hosted updates).
EXTENSION_KEY ?= $(HOME)/.config/godmode/extension-key.pem
EXTENSION_UPDATE_URL ?=
EXTENSION_OUT ?= dist
extension: install
	@[ -f "$(EXTENSION_KEY)" ] || { echo "no signing key at $(EXTENSION_KEY): making the studio's key (back it up)"; \
		$(VENV)/bin/godmode-server extension key --out "$(EXTENSION_KEY)"; }
	$(VENV)/bin/godmode-server extension pack --source extension --key "$(EXTENSION_KEY)" \
		$(if $(EXTENSION_UPDATE_URL),--update-url "$(EXTENSION_UPDATE_URL)") --out "$(EXTENSION_OUT)"

# The lowest version of every direct dependency that pyproject.toml allows, in a virtualenv of
# their own, running the fast part of the suite: each lower bound is one the code works with.
# (The accounts' and the operations' routes left it for make test's time budget: the login,
# tokens and keys they use are in the tracking and dashboard tests, on the same libraries; of
# the rate limits, the two tests that use the limits library's memory and Redis storages.)
RATE_LIMITS := tests/server/http/test_ratelimit.py
LOWEST_TESTS := tests/common tests/server/routes/test_tracking.py \
	tests/server/routes/test_dashboard.py tests/server/serving/test_ws_protocol.py \
	tests/server/stores $(RATE_LIMITS)::test_ingest_over_the_key_budget_is_429_with_retry_after \
	$(RATE_LIMITS)::test_two_nodes_share_the_budget_through_redis \
	tests/server/serving/test_request_log.py \
	tests/server/reports/test_rollups.py tests/server/test_app.py \
	tests/desktop/net tests/desktop/widgets tests/desktop/test_board.py
$(LOWEST_VENV)/.installed: pyproject.toml $(VENV)/.installed-$(EXTRAS)
	$(VENV)/bin/uv venv --quiet --allow-existing --python $(PYTHON) $(LOWEST_VENV)
	VIRTUAL_ENV=$(abspath $(LOWEST_VENV)) $(VENV)/bin/uv pip install --quiet \
		--resolution lowest-direct -e '.[dev]'
	touch $@

LOWEST_PYTEST ?= -m pytest
test-lowest: $(LOWEST_VENV)/.installed system-deps translations
	$(LOWEST_VENV)/bin/python $(LOWEST_PYTEST) -q -p no:cacheprovider -m "not slow" $(LOWEST_TESTS)

# Benchmarks print Markdown tables; docs/PERFORMANCE.md records them with the machine and date.
BENCHMARKS := latency fanout storm cost slow_consumer ingest reconnect desktop_load load reports report_load collector

bench: install system-deps $(BENCH_NODE_MODULES)
	@for b in $(BENCHMARKS); do $(PY) -m benchmarks.$$b || exit 1; echo; done

# The fault drills one after another under 60 s of load, one exactly-once count at the end
# (docs/RELIABILITY.md); its short form runs in `make test`.
soak: install system-deps
	$(PY) -m benchmarks.soak

lint: install $(EXT_MODULES)
	$(MAKE) --no-print-directory static-checks

# Style, types (mypy), layers (import-linter: pyproject.toml's contracts) and dead code (vulture);
# ESLint for the extension's JavaScript (extension/eslint.config.js).
static-checks: $(EXT_MODULES)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(VENV)/bin/vulture
	cd extension && npx --no-install eslint .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

server: install
	$(VENV)/bin/godmode-server run --dev

clean:
	rm -rf $(VENV) $(LOWEST_VENV) .pytest_cache .ruff_cache build *.egg-info $(QM_FILES) dist
