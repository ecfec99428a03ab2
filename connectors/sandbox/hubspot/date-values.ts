/**
 * A date or datetime property value as epoch milliseconds, or null when HubSpot would not read it.
 *
 * HubSpot takes epoch milliseconds or ISO 8601 (developer FAQ "How should I format timestamps for
 * HubSpot's APIs?": YYYY-MM-DD for a date, YYYY-MM-DDThh:mm:ss.sTZD for a date and time). The
 * fields are read here one by one, never by Date.parse: that takes loose text ("Jan 1 2023",
 * "2023/01/01"), rolls 2023-02-30 over to March and reads a time without a zone in the machine's
 * time zone, so the sandbox stored what HubSpot refuses, differently on each machine. A time without
 * a zone is read as UTC, HubSpot's zone for stored values; how HubSpot itself reads one is not
 * documented.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const EPOCH_MS = /^-?\d+$/;
/** The widest instant a JavaScript Date holds; past it toISOString throws. */
const MAX_MS = 8.64e15;

export function dateValueMs(value: string): number | null {
  if (EPOCH_MS.test(value)) {
    const ms = Number(value);
    return Math.abs(ms) <= MAX_MS ? ms : null;
  }
  const m = ISO.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((f) => Number(f ?? 0));
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const at = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const back = new Date(at);
  // Date.UTC rolls impossible fields over (Feb 30 -> Mar 2, hour 25 -> next day): such a date does not exist.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const offset = zoneOffsetMinutes(m[8]);
  return offset === null ? null : at - offset * 60_000;
}

function zoneOffsetMinutes(zone: string | undefined): number | null {
  if (zone === undefined || zone === 'Z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 18 || minutes > 59) return null;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}
