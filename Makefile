# Two commands do all the set-up: `make demo` and `make test` (see README.rst).
VENV    ?= .venv
BIN     := $(VENV)/bin
# the newest Python >= 3.11 on this machine (pyenv's versions included)
PYTHON  ?= $(shell for p in python3.14 python3.13 python3.12 \
             $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.1[1-9]*/bin/python3 2>/dev/null | sort -rV) \
             python3.11 python3; do \
             $$p -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null && { echo $$p; break; }; \
           done)
STAMP   := $(VENV)/.installed

.PHONY: install demo test benchmark portability clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "no Python >= 3.11 found"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[all,test]'
	touch $(STAMP)

demo: install
	$(BIN)/python examples/simple_network.py nest --plot-figure

test: install
	$(BIN)/python -m pytest -q

portability: install
	$(BIN)/python test/portability/report.py

benchmark: install
	$(BIN)/python benchmarks/nest_vs_pynest.py
	$(BIN)/python benchmarks/neuron_vs_native.py
	$(BIN)/python benchmarks/brian2_vs_native.py
	$(BIN)/python benchmarks/connectors.py --quick

clean:
	rm -rf $(VENV) build *.egg-info Results
