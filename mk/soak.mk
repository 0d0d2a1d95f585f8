# The soak benchmark (issue 16; included by the Makefile): `hrkg serve` at 20/50/100
# keep-alive clients with the answer cache on and off, the fuzz cases and a kill -9 loop of
# `hrkg build`; writes its section of bench/RESULTS.md. About 5 minutes.
SOAK_LOAD_S ?= 5
SOAK_RUNS ?= 3
SOAK_FUZZ ?= 40
SOAK_KILLS ?= 12

.PHONY: soak

soak: dist/store/CURRENT ## load, fuzz and kill -9 `hrkg serve`/`hrkg build`; counts into bench/RESULTS.md
	HRKG_SOAK_LOAD_S=$(SOAK_LOAD_S) HRKG_SOAK_RUNS=$(SOAK_RUNS) HRKG_SOAK_FUZZ=$(SOAK_FUZZ) \
	  HRKG_SOAK_KILLS=$(SOAK_KILLS) $(BIN)/python bench/soak.py
