-- ?sort=updated on the institution list: without it, each page sorted all 11,142 institutions of the national
-- dataset (seq scan + top-N heapsort, 8-14 ms); with it, 0.1 ms, and filtered by kind or uf still under 1 ms
-- (index scanned backward for -updated).
create index institutions_by_updated on institutions (updated_at, id);
