// Dates are shown and entered in the institution's time zone (America/Sao_Paulo unless it says otherwise).
export const DEFAULT_ZONE = 'America/Sao_Paulo';

export function showInstant(iso, zone = DEFAULT_ZONE) {
  if (!iso) return '';
  return new Intl.DateTimeFormat('pt-BR', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso)) + ` (${zoneName(zone)})`;
}

export const zoneName = (zone = DEFAULT_ZONE) => (zone === DEFAULT_ZONE ? 'horário de Brasília' : zone);

/** The offset of the zone at an instant, in minutes east of UTC. */
function offsetAt(instant, zone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(instant).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/** "2026-12-02T10:30" (a datetime-local value, wall-clock time in the zone) → ISO 8601 instant with the zone's offset. */
export function wallClockToIso(value, zone = DEFAULT_ZONE) {
  const [date, time] = value.split('T');
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  let offset = offsetAt(new Date(guess), zone);
  offset = offsetAt(new Date(guess - offset * 60000), zone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const pad = (n) => String(n).padStart(2, '0');
  return `${value.length === 16 ? value + ':00' : value}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
