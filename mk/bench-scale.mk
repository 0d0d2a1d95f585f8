# `make bench-scale`: scaled projects (renamed copies of the article), cold and one-change builds,
# per-step wall/CPU seconds, peak memory, growth exponents and the engine comparison, into
# bench/RESULTS.md (included by the Makefile). A benchmark, not a test: minutes to hours.
BENCH_SCALE_SIZES ?= 10k,100k,300k,1M
BENCH_SCALE_REPEAT ?= 1
BENCH_SCALE_BUDGET ?= 900
BENCH_SCALE_ARGS ?=

.PHONY: bench-scale

bench-scale: $(STAMP) ## build scaled projects (10k..1M triples): step times, memory, growth, engines
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/scale.py --sizes $(BENCH_SCALE_SIZES) --repeat $(BENCH_SCALE_REPEAT) \
	  --budget $(BENCH_SCALE_BUDGET) $(BENCH_SCALE_ARGS)
