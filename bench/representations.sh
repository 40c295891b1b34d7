#!/usr/bin/env bash
# What the HTML and JSON-LD representations cost beside the JSON (issue 12), against a running API (dotnet run, or the
# Release build): bytes (identity and br) of each representation of the seed's institution, tree and largest organ, the
# latency of a cached answer (keep-alive, one client), and of a miss: every ?at= instant is a new cache key, so each
# request renders the organ as published then and, for HTML and JSON-LD, turns that JSON into the representation.
#
#   BASE_URL=http://127.0.0.1:5080 bash bench/representations.sh     # prints a Markdown table
set -euo pipefail
BASE_URL=${BASE_URL:-http://127.0.0.1:5080}
REQUESTS=${REQUESTS:-400}
exec python3 - "$BASE_URL" "$REQUESTS" <<'PY'
import http.client, statistics, sys, time, urllib.parse, datetime
base, requests = sys.argv[1], int(sys.argv[2])
url = urllib.parse.urlparse(base)
connection = http.client.HTTPConnection(url.hostname, url.port)
def get(path, accept, encoding="identity"):
    connection.request("GET", path, headers={"Accept": accept, "Accept-Encoding": encoding})
    response = connection.getresponse()
    body = response.read()
    assert response.status == 200, (path, accept, response.status, body[:200])
    return body
institution = "/api/v1/institutions/amostra"
organ = institution + "/organs/secretaria-de-trabalho-e-assistencia-social"
kinds = ["application/json", "text/html", "application/ld+json"]
print("| resource | representation | bytes | br bytes | cached p50 ms | cached p99 ms | miss (?at=) p50 ms |")
print("|---|---|---|---|---|---|---|")
now = datetime.datetime.now(datetime.timezone.utc)
for name, path in [("institution", institution), ("tree", institution + "/organs/tree"), ("organ", organ)]:
    for accept in kinds:
        identity, brotli = len(get(path, accept)), len(get(path, accept, "br"))
        for _ in range(20):
            get(path, accept)
        cached = []
        for _ in range(requests):
            started = time.perf_counter(); get(path, accept); cached.append((time.perf_counter() - started) * 1000)
        missed = "–"
        if name == "organ":
            times = []
            for i in range(requests // 4):
                at = urllib.parse.quote((now - datetime.timedelta(milliseconds=i + 1)).isoformat())
                started = time.perf_counter(); get(f"{path}?at={at}", accept); times.append((time.perf_counter() - started) * 1000)
            missed = f"{statistics.median(times):.2f}"
        cached.sort()
        print(f"| {name} | {accept} | {identity} | {brotli} | {statistics.median(cached):.2f} | {cached[int(len(cached) * 0.99) - 1]:.2f} | {missed} |")
PY
