#!/usr/bin/env python3
"""Harvests the DCAT catalog as ckanext-dcat's RDF harvester does: page 1, then hydra:next until there is none.

    python3 bench/scenarios/catalog-harvest.py http://127.0.0.1:5091 100

Prints one JSON line: pages, datasets, distinct datasets, bytes, seconds, and the per-page latency (p50, p99, max, ms).
Bounded: at most 10 000 pages, each request with a 60 s timeout."""
import json
import sys
import time
import urllib.request

base, page_size = sys.argv[1].rstrip("/"), int(sys.argv[2])
url = f"{base}/api/v1/open-data/catalog.jsonld?page=1&pageSize={page_size}"
latencies, datasets, total_bytes, started = [], [], 0, time.perf_counter()
for _ in range(10_000):
    began = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read()
    latencies.append((time.perf_counter() - began) * 1000)
    total_bytes += len(body)
    graph = json.loads(body)["@graph"]
    catalog = next(n for n in graph if n["@type"] == "dcat:Catalog")
    paging = next(n for n in graph if n["@type"] == "hydra:PagedCollection")
    datasets.extend(d["@id"] for d in catalog["dcat:dataset"])
    if "hydra:next" not in paging:
        break
    # The links are absolute under the API's public base URL; the harvest stays on this machine's address.
    url = base + "/" + paging["hydra:next"]["@id"].split("/", 3)[3]
latencies.sort()
pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1)
print(json.dumps({
    "pages": len(latencies), "datasets": len(datasets), "distinct": len(set(datasets)),
    "total": paging["hydra:totalItems"]["@value"], "bytes": total_bytes, "seconds": round(time.perf_counter() - started, 2),
    "p50": pick(0.5), "p99": pick(0.99), "max": round(latencies[-1], 1),
}))
