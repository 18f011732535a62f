# Recurrent Neural Networks, an interactive course.
#   make lab    set up (first time only) and open the course in JupyterLab
#   make test   set up (first time only), test the helper package and run every notebook
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# each stamp is rewritten when its requirements change, so an unchanged set-up installs nothing
LAB_STAMP := $(VENV)/.installed-lab
DEV_STAMP := $(VENV)/.installed-dev
HUB_STAMP := $(VENV)/.installed-hub
# JupyterHub's proxy (an npm package), installed into build/hub by `make hub-setup`
CHP_VERSION := 5.3.0
CHP_STAMP := build/hub/.installed-chp-$(CHP_VERSION)
# Jupyter refuses to run as root unless told; containers often run as root (token and localhost stay on)
LAB_FLAGS := --ServerApp.ip=127.0.0.1 $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
# the course's JupyterLab settings (jupyter/lab/settings/overrides.json: no news pop-up, no update check);
# the browser test starts JupyterLab with the same folder
LAB_FLAGS += --LabApp.app_settings_dir=$(CURDIR)/jupyter/lab/settings
# notebooks run in parallel: one xdist worker per core, one notebook per worker (--dist loadscope), each
# kernel on one torch thread. Measured on a 2-core machine: 99 s for all ten notebooks, against 176 s serially.
JOBS ?= 2

.PHONY: lab explorer test test-unit test-notebooks test-classroom classroom hub-setup test-hub test-browser lint navigation benchmark strip clean help slides slides-metadata

help:
	@echo "make lab    open the course in JupyterLab (sets itself up the first time)"
	@echo "make test   run every test and every notebook (sets itself up the first time)"
	@echo "teachers:   make slides (build/slides/*.slides.html, offline) | slides-metadata (after editing a notebook)"
	@echo "make explorer    the hidden-state explorer as a web app (Voila): MODEL=my_model.pt TEXT=my_text.txt optional"
	@echo "make classroom   build the graded classroom edition (nbgrader) in build/classroom/ (docs/classroom.md)"
	@echo "make hub-setup / test-hub   JupyterHub for a class (docs/classroom.md) / test it with a simulated class"
	@echo "maintainers: make lint | navigation | benchmark | strip | clean"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed, found " + sys.version' 
	$(PYTHON) -m venv $(VENV)

$(LAB_STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt -e .
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt requirements-classroom.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements-dev.txt -e .
	touch $(LAB_STAMP) $@

# JupyterHub for a class: the course's requirements act as constraints, so no course pin can move
$(HUB_STAMP): requirements.txt requirements-classroom.txt requirements-hub.txt | $(LAB_STAMP)
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements-hub.txt -c requirements.txt \
		-c requirements-classroom.txt
	touch $@

$(CHP_STAMP):
	mkdir -p build/hub
	npm install --prefix build/hub --no-audit --no-fund --no-save configurable-http-proxy@$(CHP_VERSION)
	touch $@

hub-setup: $(LAB_STAMP) $(HUB_STAMP) $(CHP_STAMP)

lab: $(LAB_STAMP)
	$(BIN)/jupyter lab $(LAB_FLAGS) --ServerApp.root_dir=notebooks --LabApp.default_url=/lab/tree/00_start_here.ipynb

# chapter 09's hidden-state explorer as a web app: Voila, no code cells, on 127.0.0.1 with a token (printed);
# the pretrained model on the held-out module, or MODEL=path (saved with probe.save_charlm) and TEXT=path (UTF-8)
explorer: $(LAB_STAMP)
	$(BIN)/python tools/explorer.py $(if $(MODEL),--model "$(MODEL)") $(if $(TEXT),--text "$(TEXT)")

test: test-unit test-notebooks test-classroom

test-unit: $(DEV_STAMP)
	$(BIN)/pytest tests/ --ignore=tests/classroom --ignore=tests/browser

# the classroom edition end to end on the real nbgrader: build, release, submit, collect, autograde, feedback, export
test-classroom: $(DEV_STAMP)
	$(BIN)/pytest tests/classroom

# the graded classroom edition: build/classroom/ (nbgrader course directory, released chapters, student package)
classroom: $(DEV_STAMP)
	$(BIN)/python tools/classroom.py

test-notebooks: $(DEV_STAMP)
	RNN_COURSE_THREADS=1 $(BIN)/pytest --nbval-lax --nbval-current-env --nbval-cell-timeout=300 \
		-n $(JOBS) --dist loadscope notebooks/

# a real JupyterHub on 127.0.0.1 with deploy/jupyterhub's config and a simulated class (deploy/tests/)
test-hub: $(DEV_STAMP) $(HUB_STAMP) $(CHP_STAMP)
	$(BIN)/pytest -s -p no:cacheprovider deploy/tests/

# every notebook run top to bottom in JupyterLab in headless Chromium (Debian's /usr/bin/chromium, driven by
# playwright); skipped, with the reason printed, where Chromium is missing. Screenshots go to build/browser/.
test-browser: $(DEV_STAMP)
	$(BIN)/pytest -v tests/browser/

# ruff on the package, the tests, the tools, deploy/ and the notebooks' code cells (rules in pyproject.toml)
lint: $(DEV_STAMP)
	$(BIN)/ruff check rnn_helpers tests tools benchmarks deploy notebooks

navigation: $(DEV_STAMP)
	$(BIN)/python tools/navigation.py

# slide types of every cell (RISE and make slides), from the rules in tools/slides.py; keeps backups
slides-metadata:
	$(PYTHON) tools/slides.py

# every chapter executed and turned into reveal.js slides that open from disk with no network
# (npm installs reveal.js and MathJax into build/slides/vendor the first time)
slides: $(DEV_STAMP)
	RNN_COURSE_THREADS=1 $(BIN)/python tools/build_slides.py --jobs $(JOBS)

benchmark: $(DEV_STAMP)
	$(BIN)/python benchmarks/notebooks.py

# strip outputs from the notebooks (a backup of each goes to .backups/strip/ first)
strip: $(DEV_STAMP)
	mkdir -p .backups/strip && cp notebooks/*.ipynb .backups/strip/
	$(BIN)/nbstripout --keep-id notebooks/*.ipynb

# everything the targets above create (the set-up, caches, build/); .backups/ is kept: it holds the learner's work
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
	find . -path ./.backups -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
