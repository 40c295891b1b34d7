#!/usr/bin/env bash
# The search scenarios alone, against a benchmark PostgreSQL already running (the generator's --keep-running):
# builds the API in Release, starts it on PORT against bench/results/connection.txt, and for each scope in SCOPES runs a
# ${WARMUP}s warm-up then wrk -t2 -c32 -d${DURATION}s --latency with bench/scenarios/search.lua. Prints one line per scope.
#
#   SCOPES="institution uf national"   which scenarios (search.lua's SCOPE)
#   DURATION=10                        seconds measured per scope
#   WARMUP=30                          seconds of the same load before, not measured (the API's JIT, each PostgreSQL
#                                      connection's caches and prepared statements take ~30 s to settle; 3 s measured the warm-up)
#   CONNECTIONS=32                     wrk connections
#   PORT=5291                          where the API listens
#   API_DLL                            an Api.dll to run instead of building this checkout (to compare two builds in one run)
#   COLD=0                             1: restart the API before each scope (nothing of the warm-up left in its cache)
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SCOPES=${SCOPES:-institution uf national}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-30}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-5291}
COLD=${COLD:-0}
R=$ROOT/bench/results
[[ -s $R/connection.txt && -s $R/institution-slugs.txt ]] || { echo "bench/results/connection.txt is missing: run the generator with --keep-running first (bench/README.md)" >&2; exit 1; }
command -v wrk >/dev/null || apt-get install -y wrk
if [[ -z ${API_DLL:-} ]]; then
  dotnet build src/Api -c Release -nologo -v q >/dev/null
  API_DLL=$ROOT/src/Api/bin/Release/net10.0/Api.dll
fi
CONNECTION="$(tr -d '\r\n' <"$R/connection.txt")"
API_PID=
stop_api() { [[ -n $API_PID ]] && kill "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null; API_PID=; }
trap stop_api EXIT
start_api() {
  (cd "$(dirname "$API_DLL")" && exec env ConnectionStrings__Default="$CONNECTION" ASPNETCORE_URLS="http://127.0.0.1:$PORT" \
    ASPNETCORE_ENVIRONMENT=Production dotnet "$API_DLL") >"$R/search-api.log" 2>&1 &
  API_PID=$!
  for _ in $(seq 1 600); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/institutions" || true) == 200 ]] && return
    sleep 0.1
  done
  tail -20 "$R/search-api.log" >&2; exit 1
}
source "$ROOT/bench/psql-env.sh"
psql_from "$CONNECTION"
start_api
# A fresh dataset has no compliance scores: the API computes them in the background after it starts (~15 min for the
# national dataset), which would be measured with the search. Wait until none is missing.
while true; do
  missing=$(sql "select count(*) from institutions i where not exists (select 1 from compliance_scores s where s.institution_id = i.id) and exists (select 1 from resources r where r.institution_id = i.id and r.published_revision is not null)")
  ((missing == 0)) && break
  echo "waiting for the API to compute the compliance scores of $missing institutions" >&2
  sleep 20
done
"${PSQL[@]}" -f bench/prewarm.sql >&2
# CPU seconds used so far by each program (all its processes): read before and after a run, the difference divided by
# the requests is what one request costs the API (dotnet) and PostgreSQL, whatever the machine's load. (wrk's own share
# is not in it: its process has exited when the second reading is taken.)
cpu_by_program() {
  for stat in /proc/[0-9]*/stat; do cat "$stat" 2>/dev/null || true; done |
    awk '{ sub(/^[0-9]+ \(/, ""); name = $0; sub(/\).*/, "", name); gsub(/[^A-Za-z0-9_.-]/, "_", name); sub(/^[^)]*\) /, ""); cpu[name] += $12 + $13 } END { for (n in cpu) print n, cpu[n] }' | sort
}
for scope in $SCOPES; do
  [[ $COLD == 1 ]] && { stop_api; start_api; }
  args=(SCOPE="$scope" SLUGS="$R/institution-slugs.txt" QUERIES=bench/scenarios/search-queries.txt)
  env "${args[@]}" wrk -t"$((CONNECTIONS < 2 ? 1 : 2))" -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/scenarios/search.lua "http://127.0.0.1:$PORT" >/dev/null
  cpu_by_program >"$R/cpu-before.txt"
  out=$(env "${args[@]}" wrk -t"$((CONNECTIONS < 2 ? 1 : 2))" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/scenarios/search.lua "http://127.0.0.1:$PORT")
  cpu_by_program >"$R/cpu-after.txt"
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  cpu=$(join --nocheck-order "$R/cpu-before.txt" "$R/cpu-after.txt" | awk -v n="$requests" -v hz="$(getconf CLK_TCK)" '
    $1 == "dotnet" || $1 == "postgres" { printf "%s %.2f ms  ", $1, ($3 - $2) * 1000 / hz / n }')
  printf '%s\n' "$out" >"$R/wrk-search-$scope.txt"
  awk -v scope="$scope" -v load="$(cut -d' ' -f1 /proc/loadavg)" '
    $1 == "50%" { p50 = $2 } $1 == "90%" { p90 = $2 } $1 == "99%" { p99 = $2 }
    /^Requests\/sec:/ { rps = $2 } /Non-2xx/ { bad = $NF } /Socket errors/ { timeouts = $NF }
    END { printf "search %-11s %9s req/s  p50 %8s  p90 %8s  p99 %8s  non-2xx %s  timeouts %s  load %s\n", scope, rps, p50, p90, p99, bad + 0, timeouts + 0, load }' <<<"$out"
  echo "  CPU per request: $cpu"
done
