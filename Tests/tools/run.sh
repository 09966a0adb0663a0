#!/bin/bash
# `make run`: the main job on samples/ with the release build, then where the output is.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/homebase
"$bin" --version
