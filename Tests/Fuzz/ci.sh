#!/usr/bin/env bash
# CI: builds the fuzz target, replays the seeds and known crashes, and fuzzes the model reader,
# decoder and engine for FUZZ_SECONDS (default 90). Fails when an input crashes. See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
FUZZ_SECONDS="${FUZZ_SECONDS:-90}" exec Tests/Fuzz/run.sh
