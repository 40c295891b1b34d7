-- Which format the stored renderings have. When the code renders differently (a new field such as links.self),
-- ContentStore.RenderFormat goes up, and the start-up brings every stored rendering to it once
-- (StoredRenderings.UpgradeAsync), so a published document never answers in an older shape than the contract's.
create table render_format (
  singleton boolean primary key default true check (singleton),
  format    integer not null
);
insert into render_format (format) values (1);
