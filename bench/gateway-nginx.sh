#!/usr/bin/env bash
# nginx alone vs nginx + Latchkey's gateway service (auth_request, keep-alive to Latchkey), the same trivial upstream
# behind both, measured with wrk in interleaved rounds. Prints each round, then the medians: throughput ratio
# (nginx + Latchkey / nginx alone) and p50/p99 latencies of both.
#
#   mvn -B -q -DskipTests package      # builds bench/target/benchmarks.jar
#   bench/gateway-nginx.sh [rounds=5] [seconds=5] [connections=32] [wrk threads=2]
#
# Needs nginx and wrk (apt-get install -y nginx wrk). The gateway runs on an in-memory store holding one key (the
# decision is the cached one either way; Redis is not on the path of a cached key). A third setup, nginx +
# auth_request to an nginx location that always answers 200, is the ceiling of any auth_request service: what nginx's
# subrequest alone costs. JAVA_OPTS is passed to the gateway's JVM (e.g. a JFR recording, see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
SECS=${2:-5}
CONNS=${3:-32}
THREADS=${4:-2}
JAR=bench/target/benchmarks.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] && command -v wrk >/dev/null || { echo "needs nginx and wrk: apt-get install -y nginx wrk" >&2; exit 1; }

DIR=$(mktemp -d /tmp/latchkey-bench-XXXXXX)
chmod 755 "$DIR"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
LK=$(free_port); PLAIN=$(free_port); AUTH=$(free_port); APP=$(free_port); CEIL=$(free_port)
LK_PID=""; NGINX_PID=""
cleanup() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  [ -n "$LK_PID" ] && kill "$LK_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT

java ${JAVA_OPTS:-} -cp "$JAR" dev.latchkey.bench.GatewayBenchServer "$LK" >"$DIR/gateway.out" 2>"$DIR/gateway.err" &
LK_PID=$!
for _ in $(seq 1 100); do grep -q '^token ' "$DIR/gateway.out" 2>/dev/null && break; sleep 0.2; done
TOKEN=$(awk '/^token /{print $2}' "$DIR/gateway.out")
[ -n "$TOKEN" ] || { echo "the gateway did not start:" >&2; cat "$DIR/gateway.err" >&2; exit 1; }

cat >"$DIR/nginx.conf" <<NGINX
daemon off;
worker_processes auto;
pid $DIR/nginx.pid;
error_log $DIR/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $DIR/client_body;
    proxy_temp_path $DIR/proxy;
    fastcgi_temp_path $DIR/fastcgi;
    uwsgi_temp_path $DIR/uwsgi;
    scgi_temp_path $DIR/scgi;
    upstream latchkey { server 127.0.0.1:$LK; keepalive 64; }
    upstream app { server 127.0.0.1:$APP; keepalive 64; }

    # The trivial upstream both servers proxy to.
    server { listen 127.0.0.1:$APP; location / { return 200 "ok\n"; } }

    # nginx alone.
    server {
        listen 127.0.0.1:$PLAIN;
        location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }

    # nginx + auth_request to a location that always allows: the ceiling of any auth service.
    server {
        listen 127.0.0.1:$CEIL;
        location / {
            auth_request /_allow;
            proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection "";
        }
        location = /_allow {
            internal;
            proxy_pass http://app/allow;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
        }
    }

    # nginx + Latchkey, as samples/gateways/nginx.conf.
    server {
        listen 127.0.0.1:$AUTH;
        location / {
            auth_request /_latchkey;
            auth_request_set \$lk_key_id \$upstream_http_x_latchkey_key_id;
            auth_request_set \$lk_tenant \$upstream_http_x_latchkey_tenant;
            auth_request_set \$lk_scopes \$upstream_http_x_latchkey_scopes;
            proxy_set_header X-Latchkey-Key-Id \$lk_key_id;
            proxy_set_header X-Latchkey-Tenant \$lk_tenant;
            proxy_set_header X-Latchkey-Scopes \$lk_scopes;
            proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection "";
        }
        location = /_latchkey {
            internal;
            proxy_pass http://latchkey/v1/authorize/nginx;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Original-Method \$request_method;
            proxy_set_header X-Original-URI \$request_uri;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header Forwarded "";
        }
    }
}
NGINX
"$NGINX" -p "$DIR" -e "$DIR/error.log" -c "$DIR/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$PLAIN/" && break; sleep 0.1; done

code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$AUTH/reports/1")
[ "$code" = 200 ] || { echo "nginx + Latchkey answered $code, not 200" >&2; cat "$DIR/error.log" >&2; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$AUTH/reports/1")
[ "$code" = 401 ] || { echo "nginx + Latchkey without a key answered $code, not 401" >&2; exit 1; }

# One wrk run: prints "<requests/s> <p50 ms> <p99 ms>".
run() {
  wrk -t"$THREADS" -c"$CONNS" -d"$1s" --latency -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$2/reports/1" |
    awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
         /Requests\/sec/ { rps = $2 } $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
         /Non-2xx/ { bad = $NF } END { if (bad) { print "non-2xx answers: " bad > "/dev/stderr"; exit 1 } printf "%.0f %.3f %.3f\n", rps, p50, p99 }'
}

echo "warm-up (${SECS}s each) ..."
run "$SECS" "$PLAIN" >/dev/null
run "$SECS" "$AUTH" >/dev/null
run "$SECS" "$CEIL" >/dev/null
printf '%-6s %-14s %12s %9s %9s\n' round setup 'requests/s' 'p50 ms' 'p99 ms'
: >"$DIR/results"
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then order="$PLAIN $AUTH $CEIL"; else order="$CEIL $AUTH $PLAIN"; fi
  for port in $order; do
    case "$port" in
      "$PLAIN") name=nginx ;;
      "$AUTH") name=nginx+latchkey ;;
      *) name=nginx+auth-200 ;;
    esac
    read -r rps p50 p99 < <(run "$SECS" "$port")
    printf '%-6s %-14s %12s %9s %9s\n' "$r" "$name" "$rps" "$p50" "$p99"
    echo "$r $name $rps $p50 $p99" >>"$DIR/results"
  done
done
python3 - "$DIR/results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
by = {}
for r, name, rps, p50, p99 in rows:
    by.setdefault(name, {})[int(r)] = (float(rps), float(p50), float(p99))
plain, auth, ceil = by["nginx"], by["nginx+latchkey"], by["nginx+auth-200"]
med = lambda d, i: statistics.median(v[i] for v in d.values())
def ratio(a, b, label):
    rs = [a[r][0] / b[r][0] for r in sorted(b)]
    print(f"throughput ratio {label}: median {statistics.median(rs):.2f} (rounds: {', '.join(f'{x:.2f}' for x in rs)})")
print(f"median requests/s: nginx {med(plain, 0):.0f}, nginx+latchkey {med(auth, 0):.0f}, "
      f"nginx+auth-200 {med(ceil, 0):.0f}")
ratio(auth, plain, "nginx+latchkey / nginx")
ratio(ceil, plain, "nginx+auth-200 / nginx")
ratio(auth, ceil, "nginx+latchkey / nginx+auth-200")
for i, label in ((1, "p50"), (2, "p99")):
    print(f"{label} ms: nginx {med(plain, i):.3f}, nginx+latchkey {med(auth, i):.3f}, nginx+auth-200 {med(ceil, i):.3f}")
PY
