# Bounded, seeded mutation fuzzing of `hrkg build` (included by the Makefile).
FUZZ_CASES ?= 300
FUZZ_SEED ?= 15

.PHONY: fuzz

fuzz: $(STAMP) ## damage the fixture KG's files in $(FUZZ_CASES) seeded ways; 0 tracebacks allowed
	$(BIN)/python tests/fuzzing.py --cases $(FUZZ_CASES) --seed $(FUZZ_SEED) --jobs 2
