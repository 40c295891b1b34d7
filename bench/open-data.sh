#!/usr/bin/env bash
# Open data and compliance at national scale (issue 13), against a Paço database whose PostgreSQL is already running
# (the one bench/run.sh loads): the time to score every institution at first start (the backfill), the national exports
# (time, bytes, the API's peak RSS while streaming), the ranking's latency under load and a harvest of the DCAT catalog.
# Writes bench/OPEN-DATA.md.
#
#   CONNECTION="Host=127.0.0.1;Port=…;Username=paco;Database=paco" bash bench/open-data.sh
#   ONLY=catalog CONNECTION=… bash bench/open-data.sh    # only the catalog harvest (read-only, seconds): its section is replaced
#
# The API connects with ConnectionStrings__Default, so it neither starts nor stops that PostgreSQL.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CONNECTION=${CONNECTION:?set CONNECTION to the Npgsql connection string of the benchmark database}
PORT=${PORT:-5091}
BASE_URL="http://127.0.0.1:$PORT"
DURATION=${DURATION:-10}
OUT="$ROOT/bench/results/open-data"
mkdir -p "$OUT"
PSQL_URI=$(echo "$CONNECTION" | sed -E 's/Host=([^;]*);Port=([^;]*);Username=([^;]*);Database=([^;]*).*/postgresql:\/\/\3@\1:\2\/\4/')
sql() { psql "$PSQL_URI" -Atc "$1"; }

dotnet build "$ROOT/src/Api" -c Release -v q -nologo >/dev/null
API_BIN="$ROOT/src/Api/bin/Release/net10.0"
(cd "$API_BIN" && exec env ConnectionStrings__Default="$CONNECTION" ASPNETCORE_URLS="$BASE_URL" ASPNETCORE_ENVIRONMENT=Production dotnet Api.dll) >"$OUT/api.log" 2>&1 &
API_PID=$!
trap 'kill $API_PID 2>/dev/null || true' EXIT
START=$(date +%s.%N)
until curl -sf "$BASE_URL/health/ready" >/dev/null; do sleep 0.1; kill -0 $API_PID || { cat "$OUT/api.log"; exit 1; }; done

# The catalog, harvested as ckanext-dcat does (page 1, then hydra:next) at two page sizes. Pages are not kept in process,
# so every page reads the database. Read-only, a minute or two.
harvest_catalog() {
  local size run
  CATALOG_ROWS=""
  for size in 100 20; do
    run=$(python3 "$ROOT/bench/scenarios/catalog-harvest.py" "$BASE_URL" $size)
    CATALOG_ROWS+=$(jq -r --arg size $size '"| \($size) | \(.pages) | \(.datasets) (\(.distinct) distinct, hydra:totalItems \(.total)) | \(.bytes / 1048576 * 10 | round / 10) | \(.seconds) | \(.p50) / \(.p99) / \(.max) |"' <<<"$run")$'\n'
  done
  CATALOG_RSS=$(( $(rss_kb) / 1024 ))
  CATALOG_SECTION=$(cat <<SECTION
## Catalog

\`GET /api/v1/open-data/catalog.jsonld\` harvested as ckanext-dcat's RDF harvester does (\`bench/scenarios/catalog-harvest.py\`: page 1,
then hydra:next until there is none, one request at a time), measured on $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg)
at the end. Every page reads the database (one query of a page of institutions with their last publication, and the national
"modified"); pages are not kept in the in-process cache. API RSS after both harvests: $CATALOG_RSS MiB.

| pageSize | pages | datasets | MiB | seconds | ms per page p50 / p99 / max |
|---|---|---|---|---|---|
$CATALOG_ROWS
SECTION
)
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$API_PID/status"; }
if [[ ${ONLY:-} == catalog ]]; then
  harvest_catalog
  # Replace the catalog section of the report (or add it at the end), leaving the other figures as they were measured.
  python3 - "$ROOT/bench/OPEN-DATA.md" "$CATALOG_SECTION" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2].rstrip() + "\n"
text = open(path).read()
text = re.sub(r"\n## Catalog\n.*?(?=\n## |\Z)", "", text, flags=re.S).rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
  sed -n '/^## Catalog/,$p' "$ROOT/bench/OPEN-DATA.md"
  exit 0
fi

# The backfill scores institutions that published before scores existed: wait until every one has its score.
PUBLISHING=$(sql "select count(distinct institution_id) from resources where published_revision is not null")
while SCORED=$(sql "select count(*) from compliance_scores") && (( SCORED < PUBLISHING )); do
  sleep 1; kill -0 $API_PID || { tail "$OUT/api.log"; exit 1; }
done
[[ -n ${SCORED:-} ]] || { echo "psql failed: is the benchmark PostgreSQL still running?" >&2; exit 1; }
BACKFILL_S=$(echo "$(date +%s.%N) - $START" | bc)
INSTITUTIONS=$(sql "select count(*) from institutions"); ORGANS=$(sql "select count(*) from organs")
COMPETENCES=$(sql "select sum(jsonb_array_length(v.document->'competences')) from resources r join revisions v on v.resource_id = r.id and v.number = r.published_revision where r.type = 'organ'")

# One export: seconds, bytes, the API's peak VmRSS (sampled every 100 ms) while it streams.
measure() {
  local url=$1 peak=0 now
  local before; before=$(rss_kb)
  curl -s -o /dev/null -w '%{time_total} %{size_download} %{http_code}\n' "$url" >"$OUT/curl.txt" &
  local curl_pid=$!
  while kill -0 $curl_pid 2>/dev/null; do now=$(rss_kb); (( now > peak )) && peak=$now; sleep 0.1; done
  wait $curl_pid
  read -r seconds bytes status <"$OUT/curl.txt"
  [[ $status == 200 ]] || { echo "$url answered $status" >&2; exit 1; }
  echo "| \`${url#$BASE_URL}\` | $seconds | $((bytes / 1024 / 1024)) | $((before / 1024)) | $((peak / 1024)) |"
}
revalidate() {
  local url=$1 etag
  etag=$(curl -sI "$url" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
  curl -s -o /dev/null -H "If-None-Match: $etag" -w "| \`${url#$BASE_URL}\` with If-None-Match | %{time_total} | %{http_code} |\n" "$url"
}

EXPORTS=$( for path in /api/v1/open-data/organs.csv /api/v1/open-data/organs.ndjson /api/v1/open-data/organs.jsonld /api/v1/open-data/competences.csv "/api/v1/open-data/competences.ndjson?uf=MG" \
                       "/api/v1/open-data.zip?uf=MG" "/api/v1/open-data.zip"; do measure "$BASE_URL$path"; done )
REVALIDATIONS=$(revalidate "$BASE_URL/api/v1/open-data.zip"; revalidate "$BASE_URL/api/v1/open-data/competences.csv?uf=SP")

# The ranking under load: every state and the whole country, pages 1 to 5.
: >"$OUT/ranking-paths.txt"
for uf in "" $(sql "select distinct uf from institutions where uf is not null order by 1"); do
  for page in 1 2 3 4 5; do echo "/api/v1/compliance?${uf:+uf=$uf&}page=$page&pageSize=20" >>"$OUT/ranking-paths.txt"; done
done
RANKING="$OUT/ranking-paths.txt" wrk -t2 -c32 -d3s -s "$ROOT/bench/scenarios/compliance-ranking.lua" "$BASE_URL" >/dev/null
RANKING="$OUT/ranking-paths.txt" wrk -t2 -c32 -d"${DURATION}s" --latency -s "$ROOT/bench/scenarios/compliance-ranking.lua" "$BASE_URL" >"$OUT/wrk-ranking.txt" &
WRK_PID=$!; PEAK=0
while kill -0 $WRK_PID 2>/dev/null; do now=$(rss_kb); (( now > PEAK )) && PEAK=$now; sleep 0.2; done
wait $WRK_PID
RPS=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-ranking.txt")
P50=$(awk '$1 == "50%" {print $2}' "$OUT/wrk-ranking.txt"); P99=$(awk '$1 == "99%" {print $2}' "$OUT/wrk-ranking.txt")
ERRORS=$(awk '/Non-2xx/ {print $5}' "$OUT/wrk-ranking.txt"); ERRORS=${ERRORS:-0}
harvest_catalog

cat >"$ROOT/bench/OPEN-DATA.md" <<REPORT
# Open data and compliance at national scale

Measured by \`bash bench/open-data.sh\` on $(date -u +%Y-%m-%dT%H:%MZ): $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),
$(free -g | awk '/Mem:/ {print $2}') GB, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end (the machine is shared).
Dataset: $INSTITUTIONS institutions, $ORGANS published organs, $COMPETENCES competences.

## Scores at first start

The database had no compliance scores (it was loaded before they existed): the background backfill scored the
$PUBLISHING institutions that publish in **${BACKFILL_S%.*} s** from process start. From then on each publication updates its
institution's score in its own transaction.

## National exports

Streamed as the client (curl, on the same machine) reads. RSS is the API process's VmRSS before the request and its
peak while streaming (sampled every 100 ms).

| export | seconds | MiB | RSS before (MiB) | peak RSS (MiB) |
|---|---|---|---|---|
$EXPORTS

| revalidation | seconds | status |
|---|---|---|
$REVALIDATIONS

## Ranking

\`wrk -t2 -c32 -d${DURATION}s --latency\` over \`GET /api/v1/compliance\` (every state and the whole country, pages 1–5, 20 a page;
\`bench/scenarios/compliance-ranking.lua\`), after a 3 s warm-up: **$RPS requests/s, p50 $P50, p99 $P99**, $ERRORS errors,
peak RSS $((PEAK / 1024)) MiB. Target: p99 under 100 ms.

$CATALOG_SECTION
REPORT
cat "$ROOT/bench/OPEN-DATA.md"
