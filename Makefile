# The course in two commands:  `make lab` (open it)  and  `make test` (check everything).
# Thin aliases for the launcher course.py, which does the same on every OS without make
# (`python course.py lab`, `py course.py lab` on Windows): it creates .venv on first use and
# reinstalls whenever pyproject.toml changes. LOCKED=1 installs the versions in constraints.txt.

PYTHON ?= python3
PORT   ?= 8888
NB     ?= 01
PRESENT_PORT ?= 8866
COURSE := $(PYTHON) course.py
LOCK   := $(if $(LOCKED),--locked,)

.PHONY: .venv/.installed-lab .venv/.installed-test help lab test lint unit notebooks browser bench present html sync clean setup student

help:
	@$(COURSE) --help

# Set up only (the targets the developers' notes name).
setup .venv/.installed-lab:
	$(COURSE) setup lab $(LOCK)

.venv/.installed-test:
	$(COURSE) setup test $(LOCK)

lab:
	$(COURSE) lab --port $(PORT) $(LOCK)

test:
	$(COURSE) test $(LOCK)

lint unit notebooks browser:
	$(COURSE) test $@ $(LOCK)

bench:
	$(COURSE) bench $(LOCK)

present:
	$(COURSE) present $(NB) --port $(PRESENT_PORT) $(LOCK)

# SOLUTIONS=1 keeps the exercises' solutions in the pages, folded (for instructors).
html:
	$(COURSE) html $(if $(SOLUTIONS),--solutions,) $(LOCK)

# build/student: the course without the exercises' solutions, to hand out.
student:
	$(COURSE) student $(LOCK)

sync:
	$(COURSE) sync $(LOCK)

clean:
	$(COURSE) clean
