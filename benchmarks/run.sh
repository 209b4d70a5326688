#!/usr/bin/env bash
# Builds Quiver and runs its benchmarks against baselines measured in the same run; writes the figures into
# docs/PERFORMANCE.md (not with --quick). Not part of CI: a full run takes several minutes and wants a quiet machine.
#   benchmarks/run.sh [--quick] [--only overhead,throughput,startup,volume,batch,records] [--no-write]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
exec java -Xmx2g -Dquiver.root="$PWD" \
  -cp "benchmarks/target/benchmarks-0.1.0.jar:$(cat benchmarks/target/classpath.txt)" \
  dev.quiver.bench.Benchmarks "$@"
