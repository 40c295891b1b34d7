-- At national scale (11,140 institutions) the institution list must not sort the whole table for each page.
create index institutions_by_name on institutions (name, id);
create index institutions_by_kind on institutions (kind, name, id);
create index institutions_by_uf on institutions (uf, name, id);
