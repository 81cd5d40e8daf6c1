# Faultline — the commands a user and CI run. See README.md.
SWIFT ?= swift
RELEASE_BIN = .build/release/faultline
DEMO_MODEL ?= models/airline.json5

.PHONY: build release test test-slurm demo bench golden clean

## build: debug build of everything
build:
	$(SWIFT) build

## release: optimized build of the faultline executable
release:
	$(SWIFT) build -c release --product faultline

## test: every test in release mode (the statistical checks against queueing theory need the
## speed), then the engine's own tests again in a debug build, where table indices are checked;
## prints failures and a summary (Tests/test.sh), full logs in .build/test-logs/
test:
	SWIFT="$(SWIFT)" Tests/test.sh

## test-slurm: a sweep sharded as an 8-task job array on a real Slurm (a single-node cluster on
## localhost, no systemd) and through GNU parallel, each merged and compared byte for byte with the
## single-process sweep; merge must refuse a missing or duplicated shard (Tests/Slurm/test.sh).
## Installs Debian's slurmctld, slurmd, slurm-client, munge and parallel when missing: run as root, as CI does
test-slurm: release
	FAULTLINE="$(CURDIR)/$(RELEASE_BIN)" Tests/Slurm/test.sh

## demo: replay the flagship model (models/airline.json5), check its expectations and write its report; files go to out/<model name>/
demo: release
	$(RELEASE_BIN) check --report $(DEMO_MODEL)

## bench: benchmark models beside the plain C reference (../shared/bench) when it is there, the farms beside their C floor (bench/farm-floor.c)
bench: release
	bench/run.sh

## golden: rewrite the golden CSV files of every model in models/ (review the diff before committing)
golden:
	RECORD_GOLDEN=1 $(SWIFT) test -c release --filter GoldenFileTests || true
	@echo "golden files rewritten under Tests/EndToEndTests/Golden; review with git diff"

clean:
	rm -rf .build out

## fuzz: build the libFuzzer target over the model reader, decoder and engine (with swiftc, not SwiftPM) and fuzz it for FUZZ_SECONDS (default 60); fails on a crash and prints how to reproduce it (docs/fuzzing.md)
FUZZ_SECONDS ?= 60
.PHONY: fuzz
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) Tests/Fuzz/run.sh
