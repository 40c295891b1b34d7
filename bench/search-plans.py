# The matching statement of every query of bench/scenarios/search-queries.txt, as typed, written twice for psql:
# OLD with the last word as a GIN prefix match (to_tsquery(word:*)), NEW expanded from search_lexemes as the API does
# (migration 0013). usage: python3 bench/search-plans.py SP > /tmp/sp.sql  (or "" for national); then
# psql -X -f /tmp/sp.sql > /tmp/sp.out; python3 bench/search-plans.py --sum /tmp/sp.out
import re, sys

def summarise(path):
    cur = None; t = {}
    for line in open(path):
        m = re.match(r'(OLD|NEW) (.*)', line)
        if m:
            cur = (m.group(1), m.group(2)); t.setdefault(cur, 0.0); continue
        m = re.match(r'Time: ([\d.]+) ms', line)
        if m and cur:
            t[cur] += float(m.group(1))
    def pct(v, p):
        v = sorted(v); return v[min(len(v) - 1, int(round(p * (len(v) - 1))))]
    for k in ('OLD', 'NEW'):
        v = [x for (a, q), x in t.items() if a == k]
        print(k, len(v), 'queries: median %.1f p90 %.1f p99 %.1f max %.1f ms, all %.0f ms' % (pct(v, .5), pct(v, .9), pct(v, .99), max(v), sum(v)))

if sys.argv[1] == '--sum':
    summarise(sys.argv[2]); sys.exit(0)
uf = sys.argv[1]
qs=[l.strip() for l in open('/work/main/bench/scenarios/search-queries.txt') if l.strip() and not l.startswith('#')]
typed=[]
for q in qs:
    typed.append(q)
    for n in range(4, len(q), 3):
        typed.append(q[:n])
def lit(s): return "'" + s.replace("'", "''") + "'"
filt = f"and e.uf = '{uf}'" if uf else ""
out=["\\timing on", "\\o /dev/null"]
for q in typed:
    m = re.search(r'(?<![\w\-"])(\w+)$', q)
    if q.endswith(' ') or not m or len(m.group(1)) < 2:
        words, prefix = q, ''
    else:
        words, prefix = q[:m.start()], m.group(1)
    base = f"websearch_to_tsquery('paco_portuguese'::regconfig, paco_search_normalize({lit(words)}))"
    old = base if not prefix else f"({base} && to_tsquery('paco_portuguese'::regconfig, paco_search_normalize({lit(chr(39)+prefix+chr(39)+':*')})))"
    # new: expansion as the API does it (one query), then the search with the expanded tsquery
    out.append(f"\\echo OLD {q}")
    out.append(f"select count(*) from (select ts_rank_cd(array[0.05, 0.2, 0.5, 1.0]::float4[], e.search, {old}, 1) from search_entries e where e.search @@ {old} {filt} limit 5000) m;")
    if prefix:
        # A stop word ("de") has no stem: the API then searches the other words alone.
        out.append(f"select coalesce((tsvector_to_array(to_tsvector('paco_portuguese'::regconfig, paco_search_normalize({lit(prefix)}))))[1], '') as stem \\gset")
        out.append("select case when :'stem' = '' then '' else coalesce(string_agg(quote_literal(lexeme), ' | '), quote_literal(:'stem') || ':*') end as pq from (select lexeme from search_lexemes where :'stem' <> '' and lexeme ^@ :'stem' order by lexeme limit 65) l \\gset")
        new = f"(case when :'pq' = '' then {base} else {base} && :'pq'::tsquery end)"
    else:
        new = base
    out.append(f"\\echo NEW {q}")
    out.append(f"select count(*) from (select ts_rank_cd(array[0.05, 0.2, 0.5, 1.0]::float4[], e.search, {new}, 1) from search_entries e where e.search @@ {new} {filt} limit 5000) m;")
print("\n".join(out))
