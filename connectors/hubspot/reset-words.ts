/**
 * When HubSpot's daily limit resets, as an admin reads it: the instant in UTC (what logs and
 * monitoring compare) and the wall-clock time in the portal's own time zone (what HubSpot's
 * settings show), e.g. "2024-05-02T04:00:00.000Z (2024-05-02 00:00 in the portal's time zone, US/Eastern)".
 */
export function resetWords(resetsAt: string, timeZone: string | null): string {
  const local = timeZone ? wallClock(resetsAt, timeZone) : null;
  return local ? `${resetsAt} (${local} in the portal's time zone, ${timeZone})` : `${resetsAt} (midnight in the portal's time zone)`;
}

/** "2024-05-02 00:00" in `timeZone`; null for a zone name this Node does not know. */
function wallClock(iso: string, timeZone: string): string | null {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
  } catch {
    return null;
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}
