#!/usr/bin/env bash
# Paço benchmark harness: builds, loads the national-scale dataset, measures start-up, the read scenarios
# (wrk, against a ceiling measured in the same session) and the write scenario, and writes bench/RESULTS.md.
# See bench/README.md. Runs from any working directory.
#
#   MUNICIPALITIES=5570  municipalities to generate (each a prefeitura and a câmara)
#   DURATION=10          seconds each scenario is measured (after a 3 s warm-up, 30 s for search: SEARCH_WARMUP); also the write scenario's length
#   STOP_POSTGRES=0      1: stop the benchmark PostgreSQL at the end (it is left running by default)
#   PORT=5090            where the API listens (the run refuses to start if something already listens there)
#   DATA_DIR             PostgreSQL data folder (default bench/.data/postgres)
#   KEY_FILE             the benchmark's admin key (default bench-admin-key beside DATA_DIR): made with 'keys create' when
#                        missing or refused, written with mode 0600
#   SKIP_GENERATE=0      1: do not run the generator; bench/results/*.txt and a running PostgreSQL on DATA_DIR must exist
#   RESULTS_FILE         where the report goes (default bench/RESULTS.md)
#   WRITE_WORKERS=4      workers of the write scenario
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

MUNICIPALITIES=${MUNICIPALITIES:-5570}
DURATION=${DURATION:-10}
STOP_POSTGRES=${STOP_POSTGRES:-0}
PORT=${PORT:-5090}
SKIP_GENERATE=${SKIP_GENERATE:-0}
DATA_DIR=$(realpath -m "${DATA_DIR:-$ROOT/bench/.data/postgres}")
RESULTS_DIR=$ROOT/bench/results
RESULTS_FILE=$(realpath -m "${RESULTS_FILE:-$ROOT/bench/RESULTS.md}")
WRITE_WORKERS=${WRITE_WORKERS:-4}
THREADS=2
CONNECTIONS=32
WARMUP=3
# The search scenarios warm up as bench/search.sh does: each is thousands of distinct searches whose answers the API
# keeps, and their first pass is uncached (3 s measured the warm-up; bench/SEARCH.md).
SEARCH_WARMUP=${SEARCH_WARMUP:-30}
BASE_URL=http://127.0.0.1:$PORT
API_BIN=$ROOT/bench/.build/api   # a ReadyToRun publish: less JIT at start-up, as a deployment would run
BENCH_DLL=$ROOT/bench/Paco.Bench/bin/Release/net10.0/Paco.Bench.dll
SCENARIOS=$ROOT/bench/scenarios
KEY_FILE=$(realpath -m "${KEY_FILE:-$(dirname "$DATA_DIR")/bench-admin-key}")
API_LOG=$RESULTS_DIR/api.log

[[ $DURATION =~ ^[0-9]+$ && $DURATION -ge 1 ]] || { echo "DURATION must be a whole number of seconds, not '$DURATION'" >&2; exit 2; }
[[ $PORT =~ ^[0-9]+$ ]] || { echo "PORT must be a number, not '$PORT'" >&2; exit 2; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { local t=${EPOCHREALTIME/./}; echo $((10#$t / 1000)); }

API_PID=
RSS_PID=

stop_api() {
  if [[ -n $API_PID ]] && kill -0 "$API_PID" 2>/dev/null; then
    kill -TERM "$API_PID" 2>/dev/null || true
    for _ in $(seq 1 150); do
      kill -0 "$API_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$API_PID" 2>/dev/null; then
      log "the API did not stop within 15 s: killing it"
      kill -KILL "$API_PID" 2>/dev/null || true
    fi
    wait "$API_PID" 2>/dev/null || true
  fi
  API_PID=
}

pg_bin() {
  local dir
  dir=$(pg_config --bindir 2>/dev/null || true)
  if [[ -x $dir/pg_ctl ]]; then echo "$dir"; return; fi
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [[ -x $dir/pg_ctl ]]; then echo "$dir"; return; fi
  dirname "$(command -v pg_ctl)"
}

postgres_running() {
  [[ -f $DATA_DIR/postmaster.pid ]] && kill -0 "$(head -1 "$DATA_DIR/postmaster.pid")" 2>/dev/null
}

stop_postgres() {
  postgres_running || return 0
  log "stopping PostgreSQL on $DATA_DIR"
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$(pg_bin)/pg_ctl" stop -D "$DATA_DIR" -m fast || true
  else
    "$(pg_bin)/pg_ctl" stop -D "$DATA_DIR" -m fast || true
  fi
}

cleanup() {
  local status=$?
  if [[ -n $RSS_PID ]]; then kill "$RSS_PID" 2>/dev/null || true; fi
  stop_api
  if [[ $STOP_POSTGRES == 1 ]]; then stop_postgres; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RESULTS_DIR"
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------- build
log "building (Release, with the benchmark-only ceiling endpoint)"
# Paco.Bench references the API project: building it without PacoBench=true would overwrite Api.dll with a
# build that has no ceiling endpoint, so both builds get the property.
dotnet build bench/Paco.Bench -c Release -p:PacoBench=true -nologo -v q
dotnet publish src/Api -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -p:PacoBench=true -o "$API_BIN" -nologo -v q

if ! command -v wrk >/dev/null; then
  log "wrk is missing: installing it with apt"
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y wrk; else sudo apt-get install -y wrk; fi
fi

# -------------------------------------------------------------------------------------------- dataset
GENERATE_CMD=(dotnet "$BENCH_DLL" generate --data "$DATA_DIR" --municipalities "$MUNICIPALITIES" --results "$RESULTS_DIR" --keep-running)
if [[ $SKIP_GENERATE == 1 ]]; then
  log "SKIP_GENERATE=1: using the existing bench/results/*.txt and the PostgreSQL running on $DATA_DIR"
else
  log "generator: ${GENERATE_CMD[*]}"
  "${GENERATE_CMD[@]}" || die "the generator failed"
fi
for f in organ-paths.txt institution-slugs.txt legal-basis-paths.txt point-in-time-paths.txt connection.txt; do
  [[ -s $RESULTS_DIR/$f ]] || die "bench/results/$f is missing or empty (the generator writes it)"
done
postgres_running || die "no PostgreSQL is running on $DATA_DIR: start-up must be measured with it already running (the generator's --keep-running leaves it so)"

# psql takes the connection string of connection.txt: Npgsql style (Host=…;Port=…) or a libpq URI/conninfo.
CONNECTION=$(tr -d '\r\n' <"$RESULTS_DIR/connection.txt")
source "$ROOT/bench/psql-env.sh"
psql_from "$CONNECTION"
log "dataset size"
DS_INSTITUTIONS=$(sql "select count(*) from institutions") || die "psql could not query the database of bench/results/connection.txt"
DS_ORGANS=$(sql "select count(*) from resources where type = 'organ'")
DS_PUBLISHED=$(sql "select count(*) from organs")
DS_LEGAL=$(sql "select count(*) from resources where type = 'legal_basis'")
DS_REVISIONS=$(sql "select count(*) from revisions")
DS_SIZE=$(sql "select pg_size_pretty(pg_database_size(current_database()))")
DS_SEARCH=$(sql "select count(*) || ' entries, table ' || pg_size_pretty((select sum(pg_table_size(relid)) from pg_partition_tree('search_entries'))::bigint) || ', GIN indexes ' || pg_size_pretty((select sum(pg_relation_size(indexrelid)) from pg_partition_tree('search_entries') t join pg_index x on x.indrelid = t.relid join pg_class c on c.oid = x.indexrelid join pg_am a on a.oid = c.relam where a.amname = 'gin')::bigint) || ', all indexes ' || pg_size_pretty((select sum(pg_indexes_size(relid)) from pg_partition_tree('search_entries'))::bigint) || ' (' || (select count(*) from pg_partition_tree('search_entries') where isleaf) || ' partitions)' from search_entries")
# What compressing stored organ documents costs, per level: CPU only, measured here while the generator's server
# (the one connection.txt names) is still the one running.
COMPRESS_CMD=(dotnet "$BENCH_DLL" compress --connection "$CONNECTION" --sample 300)
log "compression cost: ${COMPRESS_CMD[*]}"
COMPRESS_OUT=$("${COMPRESS_CMD[@]}" 2>&1) || die "the compression cost measurement failed: $COMPRESS_OUT"
printf '%s\n' "$COMPRESS_OUT" >"$RESULTS_DIR/compress.txt"

log "$("${PSQL[@]}" -f bench/prewarm.sql 2>&1 | grep -v NOTICE)"

# ---------------------------------------------------------------------------------------------- start-up
code_of() { curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$1" 2>/dev/null || true; }

[[ $(code_of "$BASE_URL/") == 000 ]] || die "something already listens on $BASE_URL: stop it or set PORT"

API_CMD="ConnectionStrings__Default='$CONNECTION' ASPNETCORE_URLS=$BASE_URL ASPNETCORE_ENVIRONMENT=Production Benchmark__Endpoints=true dotnet Api.dll   (working directory $API_BIN)"
STARTUP_MS=
start_api() {
  local t0 code
  : >>"$API_LOG"
  t0=$(now_ms)
  # Run from the output folder: its appsettings.json is the content root's (SQL command logging off), as deployed.
  # A client of the running server, as deployed against a database of its own: given the data folder instead, the API
  # would adopt a server whose starter is gone and stop it when it exits, and the next start-up would start it cold.
  (cd "$API_BIN" && exec env ConnectionStrings__Default="$CONNECTION" ASPNETCORE_URLS="$BASE_URL" ASPNETCORE_ENVIRONMENT=Production Benchmark__Endpoints=true dotnet Api.dll) >>"$API_LOG" 2>&1 &
  API_PID=$!
  while true; do
    code=$(code_of "$BASE_URL/api/v1/institutions")
    [[ $code == 200 ]] && break
    if ! kill -0 "$API_PID" 2>/dev/null; then
      API_PID=
      tail -n 30 "$API_LOG" >&2
      die "the API exited before answering (log: $API_LOG)"
    fi
    (($(now_ms) - t0 < 120000)) || die "the API did not answer 200 within 120 s (last status $code; log: $API_LOG)"
    sleep 0.01
  done
  STARTUP_MS=$(($(now_ms) - t0))
}

: >"$API_LOG"
STARTUPS=()
for i in 1 2 3; do
  stop_api
  start_api
  STARTUPS+=("$STARTUP_MS")
  log "start-up $i: ${STARTUP_MS} ms from process start to the first 200"
done
STARTUP_MEDIAN=$(printf '%s\n' "${STARTUPS[@]}" | sort -n | sed -n 2p)
# The third API process stays up for the scenarios.

[[ $(code_of "$BASE_URL/bench/ceiling/1") == 200 ]] || die "GET /bench/ceiling/1 is not 200: the API was built without -p:PacoBench=true, or runs without Benchmark__Endpoints=true"
# The API runs as in production, where no admin key is ever made at start-up: the harness makes its own with the
# keys command (on the same database, through the same running PostgreSQL) and keeps it for the next runs.
KEYS_CMD=(dotnet Api.dll keys create --institution '*' --role admin --name "bench/run.sh")
key_works() {
  [[ -s $KEY_FILE ]] || return 1
  [[ $(curl -s -o /dev/null --max-time 5 -w '%{http_code}' -H "Authorization: Bearer $(tr -d '\r\n' <"$KEY_FILE")" "$BASE_URL/api/v1/keys") == 200 ]]
}
if ! key_works; then
  log "creating the benchmark's admin key with the keys command (working directory $API_BIN)"
  KEYS_OUT=$(cd "$API_BIN" && env ConnectionStrings__Default="$CONNECTION" ASPNETCORE_ENVIRONMENT=Production "${KEYS_CMD[@]}" 2>&1) ||
    die "keys create failed: $KEYS_OUT"
  rm -f "$KEY_FILE" # a mode is only given to a file when it is created
  (umask 077 && grep -E '^paco_[0-9a-f]{10}_' <<<"$KEYS_OUT" | tail -n 1 >"$KEY_FILE") || die "keys create printed no key: $KEYS_OUT"
  key_works || die "the key made by keys create (saved in $KEY_FILE) is refused by the API"
fi

# ------------------------------------------------------------------------------------ scenario inputs
ORGAN_304=$(head -n 1 "$RESULTS_DIR/organ-paths.txt" | tr -d '\r')
ETAG=$(curl -s -D - -o /dev/null --max-time 5 "$BASE_URL$ORGAN_304" | tr -d '\r' | awk 'tolower($1) == "etag:" { sub(/^[^:]*:[ \t]*/, ""); print; exit }')
[[ -n $ETAG ]] || die "no ETag on $ORGAN_304"

total=0 count=0
while read -r path; do
  out=$(curl -s -o /dev/null --max-time 5 -w '%{http_code} %{size_download}' "$BASE_URL$path" || true)
  if [[ ${out%% *} == 200 ]]; then total=$((total + ${out#* })); count=$((count + 1)); fi
done < <(head -n 50 "$RESULTS_DIR/organ-paths.txt" | tr -d '\r')
((count > 0)) || die "none of the first 50 organ paths answered 200"
CEILING_BYTES=$((total / count))
log "ceiling: $CEILING_BYTES bytes, the average of $count organ documents; 304 scenario: $ORGAN_304 with If-None-Match $ETAG"

# Bytes on the wire per organ answer, by Accept-Encoding, over the same organs (curl does not decode: size_download is
# what was sent). Asked twice: the second answer is the variant kept with the cached answer.
declare -A WIRE_BYTES WIRE_HEADER_CHECK
for encoding in br gzip; do
  total=0 n=0
  while read -r path; do
    curl -s -o /dev/null --max-time 5 -H "Accept-Encoding: $encoding" "$BASE_URL$path" || true
    out=$(curl -s -o /dev/null --max-time 5 -H "Accept-Encoding: $encoding" -w '%{http_code} %{size_download}' "$BASE_URL$path" || true)
    if [[ ${out%% *} == 200 ]]; then total=$((total + ${out#* })); n=$((n + 1)); fi
  done < <(head -n 50 "$RESULTS_DIR/organ-paths.txt" | tr -d '\r')
  ((n > 0)) || die "none of the first 50 organ paths answered 200 with Accept-Encoding: $encoding"
  WIRE_BYTES[$encoding]=$((total / n))
  WIRE_HEADER_CHECK[$encoding]=$(curl -s -D - -o /dev/null --max-time 5 -H "Accept-Encoding: $encoding" "$BASE_URL$ORGAN_304" | tr -d '\r' |
    awk 'tolower($1) == "content-encoding:" || tolower($1) == "etag:" { printf "%s %s; ", $1, $2 }')
  log "organ answers with Accept-Encoding: $encoding: ${WIRE_BYTES[$encoding]} bytes on average (identity $CEILING_BYTES); ${WIRE_HEADER_CHECK[$encoding]}"
done

FIRST_SLUG=$(head -n 1 "$RESULTS_DIR/institution-slugs.txt" | tr -d '\r')
for path in "$ORGAN_304" "$(head -n 1 "$RESULTS_DIR/legal-basis-paths.txt")" "$(head -n 1 "$RESULTS_DIR/point-in-time-paths.txt")" \
  "/api/v1/institutions/$FIRST_SLUG/organs?page=1&pageSize=20" "/api/v1/institutions/$FIRST_SLUG/organs/tree" "$ORGAN_304/revisions"; do
  path=$(tr -d '\r' <<<"$path")
  code=$(code_of "$BASE_URL$path")
  [[ $code == 200 ]] || die "GET $path answered $code, not 200: the path files do not match the database"
done

# ----------------------------------------------------------------------------------------- scenarios
sample_rss() { # pid, file: writes the highest VmRSS (kB) seen, every 200 ms
  local pid=$1 file=$2 max=0 key value _
  echo 0 >"$file"
  while kill -0 "$pid" 2>/dev/null; do
    while read -r key value _; do
      if [[ $key == VmRSS: ]]; then
        if ((value > max)); then max=$value; echo "$max" >"$file"; fi
        break
      fi
    done <"/proc/$pid/status" 2>/dev/null || true
    sleep 0.2
  done
}
start_rss() { sample_rss "$API_PID" "$RESULTS_DIR/rss.kb" & RSS_PID=$!; }
stop_rss() { # prints the max in MB
  kill "$RSS_PID" 2>/dev/null || true
  wait "$RSS_PID" 2>/dev/null || true
  RSS_PID=
  awk '{ printf "%.0f", $1 / 1024 }' "$RESULTS_DIR/rss.kb"
}

to_ms() { # 4.01ms, 812.00us, 1.20s, 1.01m -> milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; else if (u == "h") n *= 3600000
    printf "%.2f", n }'
}

NAMES=() LABELS=() RPS=() P50=() P99=() RSS=() ERRORS=() COMMANDS=()
run_scenario() { # name, label, script, env assignments...
  local name=$1 label=$2 script=$3 out rps p50 p99 non2xx sockets rss warmup=$WARMUP
  shift 3
  [[ $name == search-* ]] && warmup=$SEARCH_WARMUP
  log "scenario $name: warm-up ${warmup} s, then ${DURATION} s"
  env "$@" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${warmup}s" -s "$SCENARIOS/$script" "$BASE_URL" >/dev/null 2>&1 ||
    die "wrk failed in the warm-up of $name: $(env "$@" wrk -t1 -c1 -d1s -s "$SCENARIOS/$script" "$BASE_URL" 2>&1 | tail -3)"
  start_rss
  if ! out=$(env "$@" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$SCENARIOS/$script" "$BASE_URL" 2>&1); then
    stop_rss >/dev/null
    die "wrk failed in $name: $out"
  fi
  rss=$(stop_rss)
  printf '%s\n' "$out" >"$RESULTS_DIR/wrk-$name.txt"
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2; exit }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2; exit }' <<<"$out")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out")
  sockets=$(awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' <<<"$out")
  [[ -n $rps && -n $p50 && -n $p99 ]] || die "could not read wrk's output for $name: $out"
  NAMES+=("$name") LABELS+=("$label") RPS+=("$rps") P50+=("$p50") P99+=("$p99") RSS+=("$rss")
  ERRORS+=($((${non2xx:-0} + ${sockets:-0})))
  COMMANDS+=("$* wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency -s bench/scenarios/$script $BASE_URL")
  log "  $name: $rps requests/s, p50 $p50 ms, p99 $p99 ms, max RSS $rss MB, errors ${ERRORS[-1]}"
}

R=bench/results
run_scenario ceiling "ceiling (/bench/ceiling/$CEILING_BYTES)" ceiling.lua CEILING_BYTES="$CEILING_BYTES"
run_scenario organ "single organ, 200" organ.lua PATHS="$R/organ-paths.txt"
run_scenario organ-br "single organ, 200, Accept-Encoding: br" organ.lua PATHS="$R/organ-paths.txt" ACCEPT_ENCODING=br
run_scenario organ-gzip "single organ, 200, Accept-Encoding: gzip" organ.lua PATHS="$R/organ-paths.txt" ACCEPT_ENCODING=gzip
run_scenario organ-304 "single organ, 304 (If-None-Match)" organ-304.lua PATH_304="$ORGAN_304" ETAG="$ETAG"
run_scenario list "organ list, first page of 20" organ-list.lua SLUGS="$R/institution-slugs.txt"
run_scenario tree "organ tree" organ-tree.lua SLUGS="$R/institution-slugs.txt"
run_scenario legal-basis "legal basis with citing organs" legal-basis.lua PATHS="$R/legal-basis-paths.txt"
run_scenario revisions "organ revision history" revisions.lua PATHS="$R/organ-paths.txt"
run_scenario point-in-time "organ at a past instant (?at=)" point-in-time.lua PATHS="$R/point-in-time-paths.txt"
run_scenario search-institution "search, one institution" search.lua SCOPE=institution SLUGS="$R/institution-slugs.txt" QUERIES=bench/scenarios/search-queries.txt
run_scenario search-uf "search, one state (uf=)" search.lua SCOPE=uf QUERIES=bench/scenarios/search-queries.txt
run_scenario search-national "search, national" search.lua SCOPE=national QUERIES=bench/scenarios/search-queries.txt

# -------------------------------------------------------------------------------------------- writes
WRITE_INSTITUTION=$FIRST_SLUG
WRITE_CMD_SHOWN="dotnet bench/Paco.Bench/bin/Release/net10.0/Paco.Bench.dll write --base-url $BASE_URL --key \"\$(cat $KEY_FILE)\" --institution $WRITE_INSTITUTION --seconds $DURATION --workers $WRITE_WORKERS"
MEMORY_AFTER_READS=$(curl -s "$BASE_URL/bench/memory" || true)
log "write scenario: $WRITE_WORKERS workers for ${DURATION} s on $WRITE_INSTITUTION"
start_rss
WRITE_STATUS=0
WRITE_OUT=$(dotnet "$BENCH_DLL" write --base-url "$BASE_URL" --key "$(tr -d '\r\n' <"$KEY_FILE")" --institution "$WRITE_INSTITUTION" \
  --seconds "$DURATION" --workers "$WRITE_WORKERS" 2>&1) || WRITE_STATUS=$?
WRITE_RSS=$(stop_rss)
MEMORY_AFTER_WRITES=$(curl -s "$BASE_URL/bench/memory" || true)
printf '%s\n' "$WRITE_OUT" >"$RESULTS_DIR/write.txt"
printf '%s\n' "$WRITE_OUT" >&2
WRITE_LINE=$(grep -E '^write: saves/s=' <<<"$WRITE_OUT" || true)
[[ -n $WRITE_LINE ]] || WRITE_LINE="write: FAILED (exit $WRITE_STATUS): $(tail -n 1 <<<"$WRITE_OUT")"

# -------------------------------------------------------------------------------------------- report
CEILING_RPS=${RPS[0]}
ratio() { awk -v a="$1" -v b="$CEILING_RPS" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
verdict() { if "$@"; then echo met; else echo "**missed**"; fi; }
index_of() { local i; for i in "${!NAMES[@]}"; do [[ ${NAMES[$i]} == "$1" ]] && echo "$i" && return; done; }

MAX_RSS=$WRITE_RSS
for r in "${RSS[@]}"; do if ((r > MAX_RSS)); then MAX_RSS=$r; fi; done
TOTAL_ERRORS=0
for e in "${ERRORS[@]}"; do TOTAL_ERRORS=$((TOTAL_ERRORS + e)); done

{
  echo "# Paço benchmark results"
  echo
  echo "Written by \`bash bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M:%S UTC')."
  echo
  echo "## Machine"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| CPUs (nproc) | $(nproc) |"
  echo "| CPU | $(lscpu | grep 'Model name' | sed 's/Model name:[[:space:]]*//' | head -1) |"
  echo "| memory (free -g, total) | $(free -g | awk '/^Mem:/ { print $2 }') GB |"
  echo "| kernel | $(uname -sr) |"
  echo "| dotnet --version | $(dotnet --version) |"
  echo "| postgres --version | $("$(pg_bin)/postgres" --version) |"
  echo "| wrk | $(wrk -v 2>&1 | head -1 | sed 's/ Copyright.*//' || true) |"
  echo "| load average at the start / at the end (1, 5, 15 min) | $LOAD_AT_START / $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo "| date | $(date -u '+%Y-%m-%dT%H:%M:%SZ') |"
  echo
  echo "The API, PostgreSQL, wrk and the write driver share these CPUs: every figure includes the load generator's own cost."
  if awk -v l="${LOAD_AT_START%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    echo
    echo "**Warning:** the load average (1, 5, 15 min) was already $LOAD_AT_START when the run started: other processes were using the CPUs, so these figures understate the API."
  fi
  echo
  echo "## Dataset"
  echo
  if [[ $SKIP_GENERATE == 1 ]]; then
    echo "Not generated by this run (SKIP_GENERATE=1): the database already running on \`$DATA_DIR\`."
  else
    echo "\`MUNICIPALITIES=$MUNICIPALITIES\`, counted before the write scenario:"
  fi
  echo
  echo "| institutions | organs (published) | legal bases | revisions | database size |"
  echo "|---:|---:|---:|---:|---:|"
  echo "| $DS_INSTITUTIONS | $DS_ORGANS ($DS_PUBLISHED) | $DS_LEGAL | $DS_REVISIONS | $DS_SIZE |"
  echo
  echo "Search (\`search_entries\`, migrations 0010, 0014, 0015): $DS_SEARCH."
  echo
  echo "## Start-up"
  echo
  echo "From starting the API process (PostgreSQL already running) to the first \`200\` of \`GET /api/v1/institutions\`, polled every 10 ms:"
  echo "${STARTUPS[0]} ms, ${STARTUPS[1]} ms, ${STARTUPS[2]} ms; **median ${STARTUP_MEDIAN} ms**."
  echo
  echo "## Reads"
  echo
  echo "\`wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency\`, each after a ${WARMUP} s warm-up (the search scenarios ${SEARCH_WARMUP} s: thousands of distinct searches, kept once asked), one API process for all of them."
  echo "The ceiling is \`GET /bench/ceiling/$CEILING_BYTES\` (a constant body the size of an average organ document, $CEILING_BYTES bytes over $count organs), measured in the same session."
  echo "Max RSS: the API process's VmRSS, sampled every 200 ms during the measured run. Errors: non-2xx/3xx answers plus socket errors."
  echo
  echo "| scenario | requests/s | ratio to ceiling | p50 ms | p99 ms | max RSS MB | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for i in "${!NAMES[@]}"; do
    echo "| ${LABELS[$i]} | ${RPS[$i]} | $(ratio "${RPS[$i]}") | ${P50[$i]} | ${P99[$i]} | ${RSS[$i]} | ${ERRORS[$i]} |"
  done
  echo
  echo "## Compression"
  echo
  wire() { awk -v a="$1" -v b="$CEILING_BYTES" 'BEGIN { printf "%d bytes (%.1f%% of identity)", a, 100 * a / b }'; }
  echo "Bytes on the wire per organ answer, over the same $count organs as the ceiling (curl, not decoded; the second request of each, served from the cache):"
  echo "identity $CEILING_BYTES bytes; \`Accept-Encoding: br\` $(wire "${WIRE_BYTES[br]}"); \`Accept-Encoding: gzip\` $(wire "${WIRE_BYTES[gzip]}")."
  echo "Headers of one (\`$ORGAN_304\`): br: \`${WIRE_HEADER_CHECK[br]}\` gzip: \`${WIRE_HEADER_CHECK[gzip]}\`"
  b=$(index_of organ-br) g=$(index_of organ-gzip) o=$(index_of organ)
  echo
  echo "Requests/s of the compressed scenarios as a ratio to the identity one, same run: br $(awk -v a="${RPS[$b]}" -v b="${RPS[$o]}" 'BEGIN { printf "%.2f", a / b }'), gzip $(awk -v a="${RPS[$g]}" -v b="${RPS[$o]}" 'BEGIN { printf "%.2f", a / b }') (each variant is compressed once, the first time it is asked for, and kept with the cached answer)."
  echo
  echo "What compressing costs, per stored organ document (\`${COMPRESS_CMD[*]}\`; the API keeps brotli 5 and gzip 6 variants with cached answers, and compresses an uncached answer with brotli 4 or gzip 1):"
  echo
  grep -v '^compress:' <<<"$COMPRESS_OUT"
  echo
  echo "\`$(grep '^compress:' <<<"$COMPRESS_OUT")\`"
  echo
  echo "## Writes"
  echo
  echo "$WRITE_WORKERS workers, each with its own organ in \`$WRITE_INSTITUTION\`: a merge patch saved as a new draft revision, then published (both with If-Match); ${DURATION} s; latencies over both operations. Max RSS $WRITE_RSS MB."
  echo
  echo '```'
  echo "$WRITE_LINE"
  echo '```'
  echo
  echo "## Targets"
  echo
  o=$(index_of organ) n=$(index_of organ-304)
  echo "| target | measured | |"
  echo "|---|---|---|"
  echo "| single organ 200 ≥ 0.7 of the ceiling | $(ratio "${RPS[$o]}") | $(verdict ge "$(ratio "${RPS[$o]}")" 0.7) |"
  echo "| single organ 304 ≥ 0.9 of the ceiling | $(ratio "${RPS[$n]}") | $(verdict ge "$(ratio "${RPS[$n]}")" 0.9) |"
  for name in organ organ-304 legal-basis point-in-time; do
    i=$(index_of "$name")
    echo "| ${LABELS[$i]}: p99 < 10 ms at $CONNECTIONS connections | ${P99[$i]} ms | $(verdict lt "${P99[$i]}" 10) |"
  done
  for name in list tree revisions; do
    i=$(index_of "$name")
    echo "| ${LABELS[$i]}: p99 < 20 ms at $CONNECTIONS connections | ${P99[$i]} ms | $(verdict lt "${P99[$i]}" 20) |"
  done
  for name in search-institution search-uf; do
    i=$(index_of "$name")
    echo "| ${LABELS[$i]}: p99 < 30 ms at $CONNECTIONS connections | ${P99[$i]} ms | $(verdict lt "${P99[$i]}" 30) |"
  done
  i=$(index_of search-national)
  echo "| ${LABELS[$i]}: p99 < 100 ms at $CONNECTIONS connections | ${P99[$i]} ms | $(verdict lt "${P99[$i]}" 100) |"
  echo "| RSS < 300 MB (highest of all scenarios) | $MAX_RSS MB | $(verdict lt "$MAX_RSS" 300) |"
  echo "| start to first 200 < 2 s (median of 3) | $STARTUP_MEDIAN ms | $(verdict lt "$STARTUP_MEDIAN" 2000) |"
  echo "| no read errors, write errors ≤ 1% | $TOTAL_ERRORS read errors; write exit status $WRITE_STATUS | $(verdict test "$TOTAL_ERRORS" -eq 0 -a "$WRITE_STATUS" -eq 0) |"
  echo
  echo "Where the memory is (\`GET /bench/memory\`, benchmark build only: RSS; GC heap, committed and fragmented MB; generation sizes gen0, gen1, gen2, LOH, POH after the last GC; the cache's entries and MB):"
  echo
  echo "- after the read scenarios: \`$MEMORY_AFTER_READS\`"
  echo "- after the write scenario: \`$MEMORY_AFTER_WRITES\`"
  echo
  echo "## Commands"
  echo
  echo '```bash'
  echo "dotnet build bench/Paco.Bench -c Release -p:PacoBench=true"
  echo "dotnet publish src/Api -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -p:PacoBench=true -o bench/.build/api"
  if [[ $SKIP_GENERATE == 1 ]]; then echo "# generator skipped (SKIP_GENERATE=1)"; else echo "dotnet bench/Paco.Bench/bin/Release/net10.0/Paco.Bench.dll generate --data $DATA_DIR --municipalities $MUNICIPALITIES --results $RESULTS_DIR --keep-running"; fi
  echo "cd bench/.build/api && ConnectionStrings__Default='$CONNECTION' ASPNETCORE_URLS=$BASE_URL ASPNETCORE_ENVIRONMENT=Production Benchmark__Endpoints=true dotnet Api.dll"
  echo "cd bench/.build/api && ConnectionStrings__Default='$CONNECTION' ASPNETCORE_ENVIRONMENT=Production dotnet Api.dll keys create --institution '*' --role admin --name bench/run.sh | grep '^paco_' >$KEY_FILE   # when $KEY_FILE is missing or refused"
  for c in "${COMMANDS[@]}"; do echo "$c"; done
  echo "for e in br gzip; do curl -s -o /dev/null -H \"Accept-Encoding: \$e\" -w '%{size_download}\\n' $BASE_URL<organ path>; done   # the first 50 of organ-paths.txt, twice each"
  echo "dotnet bench/Paco.Bench/bin/Release/net10.0/Paco.Bench.dll compress --connection \"\$(cat $RESULTS_DIR/connection.txt)\" --sample 300"
  echo "$WRITE_CMD_SHOWN"
  echo '```'
  echo
  echo "Raw wrk output: \`bench/results/wrk-*.txt\`; the write driver's: \`bench/results/write.txt\`; the API's log: \`bench/results/api.log\`."
} >"$RESULTS_FILE"

log "results written to $RESULTS_FILE"
stop_api
if ((TOTAL_ERRORS > 0)); then die "$TOTAL_ERRORS read requests failed (see the errors column)"; fi
if ((WRITE_STATUS != 0)); then die "the write scenario failed: $WRITE_LINE"; fi
log "done"
