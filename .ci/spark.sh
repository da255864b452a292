#!/usr/bin/env bash
# A throw-away local Spark Connect server for tests. Source it:
#   . .ci/spark.sh && spark_start   # exports ASSAY_TEST_SPARK_URL (sc://127.0.0.1:PORT)
#   spark_stop                      # stops the server and removes its folder
# pyspark (a full Spark with its Spark Connect server) is installed into a
# virtual environment under ~/.cache (ASSAY_SPARK_VENV), with pip's cache, so
# a second run installs nothing. Spark needs Java 17 or later; Debian's
# openjdk-17-jre-headless is installed when `java` is missing.
# dist/ must be built (npm ci does): the warm-up query uses assay's own client.
SPARK_VERSION=4.3.0
SPARK_VENV=${ASSAY_SPARK_VENV:-$HOME/.cache/assay/spark-$SPARK_VERSION}
# The port opens in 40-75 s on a loaded 2-core machine; the first query takes about 30 s more.
SPARK_START_TIMEOUT=${ASSAY_SPARK_START_TIMEOUT:-300}

# Empty when pyspark is not installed yet (`|| true`: under `set -eo pipefail` a failed ls would end the caller).
spark_home() {
  ls -d "$SPARK_VENV"/lib/python3*/site-packages/pyspark 2>/dev/null | head -1 || true
}

spark_install() {
  if ! command -v java >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
  fi
  local home
  home=$(spark_home)
  if [ -z "$home" ] || [ ! -f "$home/jars/spark-connect_2.13-$SPARK_VERSION.jar" ]; then
    if ! python3 -m venv "$SPARK_VENV" >/dev/null 2>&1; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
      python3 -m venv "$SPARK_VENV"
    fi
    "$SPARK_VENV/bin/pip" install -q "pyspark==$SPARK_VERSION"
  fi
}

spark_start() {
  local started port home
  started=$(date +%s)
  spark_install
  home=$(spark_home)
  SPARK_DIR=$(mktemp -d /tmp/assay-spark.XXXXXX)
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  export SPARK_HOME="$home" SPARK_PID_DIR="$SPARK_DIR/pid" SPARK_LOG_DIR="$SPARK_DIR/log" SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_DIRS="$SPARK_DIR/tmp"
  # Small shuffles: the tests' tables have a few rows, and each GROUP BY would otherwise plan 200 partitions.
  "$home/sbin/start-connect-server.sh" --master 'local[2]' \
    --conf spark.connect.grpc.binding.address=127.0.0.1 --conf "spark.connect.grpc.binding.port=$port" \
    --conf spark.ui.enabled=false --conf spark.sql.shuffle.partitions=2 >/dev/null
  local waited=0
  until node -e "require('net').connect($port,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))" 2>/dev/null; do
    if [ "$waited" -ge "$SPARK_START_TIMEOUT" ]; then
      echo "spark_start: the Spark Connect server did not open port $port within ${SPARK_START_TIMEOUT}s; its log:" >&2
      tail -40 "$SPARK_LOG_DIR"/*.out >&2 || true
      spark_stop
      return 1
    fi
    sleep 2
    waited=$((waited + 2))
  done
  export ASSAY_TEST_SPARK_URL="sc://127.0.0.1:$port"
  # Warm up (the first query compiles and loads most of Spark) with assay's own client, within the same cap.
  if ! timeout "$SPARK_START_TIMEOUT" node --input-type=module -e "
    import { sparkSession } from './dist/engine/spark/connection.js';
    import { RunSessions } from './dist/engine/executor.js';
    const sessions = new RunSessions();
    const session = await sparkSession({ spec: { name: 'warmup', type: 'spark', options: {} }, url: process.env.ASSAY_TEST_SPARK_URL, describe: 'warm-up' }, sessions);
    await session.rows('SELECT count(*), percentile(id, 0.5) FROM range(1000) GROUP BY id % 2');
    await sessions.closeAll();
  "; then
    echo "spark_start: the warm-up query failed" >&2
    spark_stop
    return 1
  fi
  echo "Spark Connect for tests: $ASSAY_TEST_SPARK_URL (ready in $(($(date +%s) - started)) s)"
}

spark_stop() {
  [ -n "${SPARK_DIR:-}" ] || return 0
  "$SPARK_HOME/sbin/stop-connect-server.sh" >/dev/null 2>&1 || true
  rm -rf "$SPARK_DIR"
  SPARK_DIR=
}
