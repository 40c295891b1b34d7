// Dates are shown and entered in the institution's time zone (America/Sao_Paulo unless it says otherwise), always as
// dd/mm/aaaa hh:mm: never the browser's locale (an en-US browser's datetime-local field would show mm/dd/yyyy).
import { h } from './dom.js';

export const DEFAULT_ZONE = 'America/Sao_Paulo';

const pad = (n) => String(n).padStart(2, '0');

/** The wall-clock fields of an instant in the zone. */
function partsAt(instant, zone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(instant).map((p) => [p.type, p.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour, minute: +parts.minute, second: +parts.second };
}

/** "05/03/2027 10:00" for an ISO instant, in the zone. */
export function wallClockText(iso, zone = DEFAULT_ZONE) {
  const p = partsAt(new Date(iso), zone);
  return `${pad(p.day)}/${pad(p.month)}/${p.year} ${pad(p.hour)}:${pad(p.minute)}`;
}

export function showInstant(iso, zone = DEFAULT_ZONE) {
  if (!iso) return '';
  return `${wallClockText(iso, zone)} (${zoneName(zone)})`;
}

export const zoneName = (zone = DEFAULT_ZONE) => (zone === DEFAULT_ZONE ? 'horário de Brasília' : zone);

/** The offset of the zone at an instant, in minutes east of UTC. */
function offsetAt(instant, zone) {
  const p = partsAt(instant, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/** "05/03/2027 10:00" (day first, 24-hour clock) → "2027-03-05T10:00"; null when it is not such a date and time. */
export function parseWallClock(text) {
  const match = /^\s*(\S+)\s+(\d{1,2})[:h](\d{2})\s*$/.exec(text ?? '');
  const day = match && parseDay(match[1]); // 31/02 is no day
  const [hour, minute] = match ? [Number(match[2]), Number(match[3])] : [];
  return day && hour <= 23 && minute <= 59 ? `${day}T${pad(hour)}:${pad(minute)}` : null;
}

/** "15/03/2019" → "2019-03-15"; null when it is not a day that exists. */
export function parseDay(text) {
  const match = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text ?? '');
  if (!match) return null;
  const [day, month, year] = match.slice(1).map(Number);
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCDate() === day && check.getUTCMonth() === month - 1 ? `${year}-${pad(month)}-${pad(day)}` : null;
}

/** "2019-03-15" → "15/03/2019". */
export const dayText = (iso) => iso.split('-').reverse().join('/');

/** "2026-12-02T10:30" (wall-clock time in the zone) → ISO 8601 instant with the zone's offset at that time. */
export function wallClockToIso(value, zone = DEFAULT_ZONE) {
  const [date, time] = value.split('T');
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  let offset = offsetAt(new Date(guess), zone);
  offset = offsetAt(new Date(guess - offset * 60000), zone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${value.length === 16 ? value + ':00' : value}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A text field for dd/mm/aaaa hh:mm (the same whatever the browser's language); read it with `readWallClock`. */
export const wallClockInput = (id) => h('input', { id, type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: 'dd/mm/aaaa hh:mm', maxlength: 16, class: 'data-hora' });

export const WALL_CLOCK_HINT = 'Dia/mês/ano e hora, por exemplo 05/03/2027 10:00.';

/** The ISO instant typed in the field, or an error message in Portuguese. */
export function readWallClock(input, zone = DEFAULT_ZONE) {
  if (!input.value.trim()) return { error: 'Escreva a data e a hora (dd/mm/aaaa hh:mm).' };
  const local = parseWallClock(input.value);
  return local ? { iso: wallClockToIso(local, zone) } : { error: `“${input.value}” não é uma data e hora válidas: use dd/mm/aaaa hh:mm, por exemplo 05/03/2027 10:00.` };
}
