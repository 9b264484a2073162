#!/usr/bin/env bash
# One stock Tomcat 10.1 (Debian's tomcat10), three webapps serving the same servlet (OkServlet, "ok\n"):
#   /plain     no filter                                         (the baseline)
#   /hand      RedisLookupFilter: one Redis GET + SHA-256 per request, written by hand (the "without Latchkey" filter)
#   /floor     FloorFilter: the physical floor, an in-memory map lookup + SHA-256 + constant-time compare, nothing else
#   /latchkey  ApiKeyFilter on the same Redis (RedisKeyStore, default cache), a scope rule on the path
# wrk (-t2 -c32 --latency, the key's Authorization header on every request) runs each for a warm-up, then in
# interleaved rounds, the order rotated every round. Prints every round, then medians, spread (min-max) and the ratios
# latchkey/plain (throughput and p99), latchkey/hand (throughput), and floor/plain and latchkey/floor: what any filter
# that hashes the token keeps of the unfiltered throughput, and how far Latchkey is from that.
#
# Saturated, a closed-loop client's p99 mostly restates throughput (32 connections / req/s is the mean latency), so
# a second phase (FixedRateDriver: open loop, latency counted from each request's due time) offers plain, floor and
# latchkey the same fixed rate, below what they can serve, in interleaved rounds, and compares the p99s there: the
# latency a filter adds to the same traffic. RATE (req/s, default 2000, about a twentieth of what plain serves here)
# and FIXED_CONNS (default 4) set it; RATE=0 skips the phase. At 10,000 req/s on 32 connections the client's own
# threads made the p99 (10 - 30 ms for every variant, plain included).
#
#   bench/run-tomcat.sh [rounds=7] [seconds=10] [connections=32] [wrk threads=2]
#
# From the repository root on a fresh Debian 12 machine: installs tomcat10, wrk and redis-server with apt when they
# are missing, builds what it needs with Maven, runs its own Redis and Tomcat (own CATALINA_BASE) on free ports, and
# removes everything when done. CATALINA_OPTS goes to Tomcat's JVM (default -Xms512m -Xmx512m).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-7}
SECS=${2:-10}
CONNS=${3:-32}
THREADS=${4:-2}
TOMCAT_HOME=/usr/share/tomcat10

missing=()
[ -x "$TOMCAT_HOME/bin/catalina.sh" ] || missing+=(tomcat10)
command -v wrk >/dev/null || missing+=(wrk)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}"
  # The package starts a system Tomcat on 8080; this script runs its own.
  $SUDO systemctl stop tomcat10 2>/dev/null || true
fi

mvn -B -q -pl bench,samples/tomcat-webapp -am -DskipTests package
WAR=samples/tomcat-webapp/target/latchkey-tomcat-sample.war
JAR=bench/target/benchmarks.jar

DIR=$(mktemp -d /tmp/latchkey-tomcat-XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
HTTP=$(free_port); REDIS=$(free_port)
TOMCAT_PID=""
cleanup() {
  [ -n "$TOMCAT_PID" ] && kill "$TOMCAT_PID" 2>/dev/null || true
  redis-cli -p "$REDIS" shutdown nosave >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT

redis-server --port "$REDIS" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log"
for _ in $(seq 1 50); do redis-cli -p "$REDIS" ping >/dev/null 2>&1 && break; sleep 0.1; done
TOKEN=$(java -cp "$JAR" dev.latchkey.bench.tomcat.TomcatBenchSetup "redis://127.0.0.1:$REDIS" | awk '/^token /{print $2}')
[ -n "$TOKEN" ] || { echo "could not create the benchmark key" >&2; exit 1; }

# CATALINA_BASE: a minimal server.xml (one NIO connector, keep-alive without a request limit for every variant).
mkdir -p "$DIR"/{conf,logs,temp,work,webapps,war}
cat >"$DIR/conf/server.xml" <<XML
<Server port="-1" shutdown="SHUTDOWN">
  <Service name="Catalina">
    <Connector port="$HTTP" address="127.0.0.1" protocol="HTTP/1.1" maxKeepAliveRequests="-1"/>
    <Engine name="Catalina" defaultHost="localhost">
      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false"/>
    </Engine>
  </Service>
</Server>
XML
cp "$TOMCAT_HOME/etc/web.xml" "$DIR/conf/web.xml" 2>/dev/null || cp /etc/tomcat10/web.xml "$DIR/conf/web.xml"
cp "$TOMCAT_HOME/etc/catalina.properties" "$DIR/conf/" 2>/dev/null || true
cp "$TOMCAT_HOME/etc/logging.properties" "$DIR/conf/" 2>/dev/null || cp /etc/tomcat10/logging.properties "$DIR/conf/" || true
(cd "$DIR/war" && jar xf "$OLDPWD/$WAR")   # the sample WAR's WEB-INF/lib: filter, Redis store, Lettuce, ...

webapp() { # name, filter xml
  local app="$DIR/webapps/$1"
  mkdir -p "$app/WEB-INF/classes/dev/latchkey/bench/tomcat"
  cp bench/target/classes/dev/latchkey/bench/tomcat/{OkServlet,RedisLookupFilter,FloorFilter}.class \
    "$app/WEB-INF/classes/dev/latchkey/bench/tomcat/"
  [ "$1" = plain ] || cp -r "$DIR/war/WEB-INF/lib" "$app/WEB-INF/lib"
  cat >"$app/WEB-INF/web.xml" <<XML
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
$2
  <servlet><servlet-name>ok</servlet-name><servlet-class>dev.latchkey.bench.tomcat.OkServlet</servlet-class></servlet>
  <servlet-mapping><servlet-name>ok</servlet-name><url-pattern>/*</url-pattern></servlet-mapping>
</web-app>
XML
}
webapp plain ""
webapp hand "  <filter><filter-name>hand</filter-name><filter-class>dev.latchkey.bench.tomcat.RedisLookupFilter</filter-class>
    <init-param><param-name>redis-url</param-name><param-value>redis://127.0.0.1:$REDIS</param-value></init-param></filter>
  <filter-mapping><filter-name>hand</filter-name><url-pattern>/*</url-pattern></filter-mapping>"
webapp floor "  <filter><filter-name>floor</filter-name><filter-class>dev.latchkey.bench.tomcat.FloorFilter</filter-class>
    <init-param><param-name>redis-url</param-name><param-value>redis://127.0.0.1:$REDIS</param-value></init-param></filter>
  <filter-mapping><filter-name>floor</filter-name><url-pattern>/*</url-pattern></filter-mapping>"
webapp latchkey "  <filter><filter-name>latchkey</filter-name><filter-class>dev.latchkey.filter.ApiKeyFilter</filter-class>
    <init-param><param-name>latchkey.redis-url</param-name><param-value>redis://127.0.0.1:$REDIS</param-value></init-param>
    <init-param><param-name>latchkey.scopes</param-name><param-value>GET /** bench:read</param-value></init-param></filter>
  <filter-mapping><filter-name>latchkey</filter-name><url-pattern>/*</url-pattern></filter-mapping>"

CATALINA_BASE="$DIR" CATALINA_HOME="$TOMCAT_HOME" CATALINA_OPTS="${CATALINA_OPTS:--Xms512m -Xmx512m}" \
  "$TOMCAT_HOME/bin/catalina.sh" run >"$DIR/logs/console.out" 2>&1 &
TOMCAT_PID=$!
URL="http://127.0.0.1:$HTTP"
for app in plain hand floor latchkey; do
  for _ in $(seq 1 300); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL/$app/x" || true)
    [ "$code" = 200 ] && break; sleep 0.2
  done
  [ "$code" = 200 ] || { echo "$app answered $code:" >&2; tail -50 "$DIR/logs/console.out" >&2; exit 1; }
done
for app in hand floor latchkey; do   # the filters refuse a wrong token
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${TOKEN%?}x" "$URL/$app/x")
  [ "$code" = 401 ] || { echo "$app let a wrong token through ($code)" >&2; exit 1; }
done

# wrk --latency: requests/s and the p99 in microseconds.
measure() { # app seconds
  wrk -t"$THREADS" -c"$CONNS" -d"$2"s --latency -H "Authorization: Bearer $TOKEN" "$URL/$1/x" | awk '
    function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; if (v ~ /s$/) return v * 1000000; return v }
    /Requests\/sec/ { rps = $2 } / 99%/ { p99 = us($2) } /Non-2xx/ { bad = $NF }
    END { if (bad > 0) { print "ERROR non-2xx " bad; exit 1 } printf "%.0f %.0f\n", rps, p99 }'
}
echo "Tomcat $("$TOMCAT_HOME/bin/version.sh" 2>/dev/null | awk -F': *' '/Server number/{print $2}'), wrk -t$THREADS -c$CONNS, ${SECS}s rounds; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for w in 1 2; do for app in plain hand floor latchkey; do measure "$app" "$SECS" >/dev/null; done; done   # warm-up: JIT, caches
declare -A RPS P99
apps=(plain hand floor latchkey)
for r in $(seq 1 "$ROUNDS"); do
  line="round $r:"
  for k in 0 1 2 3; do
    app=${apps[$(( (k + r) % 4 ))]}
    read -r rps p99 < <(measure "$app" "$SECS")
    RPS[$app]+="$rps "; P99[$app]+="$p99 "
    line+="  $app $rps req/s p99 ${p99}us"
  done
  echo "$line  (load $(cut -d' ' -f1 /proc/loadavg))"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# Fixed-rate phase: the same offered load for plain, floor and latchkey (hand cannot serve it).
RATE=${RATE:-2000}
if [ "$RATE" -gt 0 ]; then
  FIXED_CONNS=${FIXED_CONNS:-4}
  echo "fixed rate: $RATE req/s offered to each variant on $FIXED_CONNS connections (FixedRateDriver)"
  java -cp "$JAR" dev.latchkey.bench.FixedRateDriver "$URL" "$TOKEN" "$RATE" "$SECS" "$ROUNDS" "$FIXED_CONNS" \
    /plain/x /floor/x /latchkey/x
fi
python3 - "${RPS[plain]}" "${RPS[hand]}" "${RPS[floor]}" "${RPS[latchkey]}" "${P99[plain]}" "${P99[hand]}" "${P99[floor]}" "${P99[latchkey]}" <<'PY'
import statistics as st, sys
rp, rh, rf, rl, pp, ph, pf, pl = ([float(x) for x in a.split()] for a in sys.argv[1:])
med = st.median
for name, r, p in (("plain", rp, pp), ("hand", rh, ph), ("floor", rf, pf), ("latchkey", rl, pl)):
    print(f"{name:9s} req/s median {med(r):8.0f} (min {min(r):.0f}, max {max(r):.0f})   p99 median {med(p)/1000:6.2f} ms (min {min(p)/1000:.2f}, max {max(p)/1000:.2f})")
lp = [l / p for l, p in zip(rl, rp)]
lh = [l / h for l, h in zip(rl, rh)]
pq = [l / p for l, p in zip(pl, pp)]
print(f"latchkey/plain throughput: ratio of medians {med(rl)/med(rp):.2f}; per round median {med(lp):.2f} (min {min(lp):.2f}, max {max(lp):.2f})")
print(f"latchkey/plain p99:        ratio of medians {med(pl)/med(pp):.2f}; per round median {med(pq):.2f} (min {min(pq):.2f}, max {max(pq):.2f})")
print(f"latchkey/hand throughput:  ratio of medians {med(rl)/med(rh):.2f}; per round median {med(lh):.2f} (min {min(lh):.2f}, max {max(lh):.2f})")
fp = [f / p for f, p in zip(rf, rp)]
lf = [l / f for l, f in zip(rl, rf)]
print(f"floor/plain throughput:    ratio of medians {med(rf)/med(rp):.2f}; per round median {med(fp):.2f} (min {min(fp):.2f}, max {max(fp):.2f})")
print(f"latchkey/floor throughput: ratio of medians {med(rl)/med(rf):.2f}; per round median {med(lf):.2f} (min {min(lf):.2f}, max {max(lf):.2f})")
print(f"plain/hand throughput:     ratio of medians {med(rp)/med(rh):.2f} (a filter costing nothing would be this many times the hand-written one)")
PY
