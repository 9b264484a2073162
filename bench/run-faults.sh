#!/usr/bin/env bash
# The fault soak of issue #21: two filter nodes and the admin service on one Redis under steady load while the
# soak restarts Redis, kills its pub/sub connections, freezes it 5 s and kills it between a usage flush and its
# acknowledgement. Prints, per fault, the answers by cause, the seconds to recover and usage lost or counted twice.
# Loopback only, bounded in time (at most 10 minutes after the build). Needs a JDK 17+, Maven and redis-server.
# Usage: bench/run-faults.sh [seconds-after-each-fault]   (MAVEN_ARGS adds Maven flags, e.g. -o)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in redis-server java mvn timeout; do
  command -v "$tool" >/dev/null || { echo "run-faults.sh needs $tool (redis-server: apt-get install -y redis-server)" >&2; exit 2; }
done
mvn -B -q ${MAVEN_ARGS:-} package -pl admin-api,bench -am -DskipTests
exec timeout --kill-after=10 600 java -cp bench/target/benchmarks.jar dev.latchkey.bench.FaultSoakDriver \
  admin-api/target/latchkey-admin.jar "${1:-8}"
