/**
 * The box office works in German local time: "today's performances" start at local midnight, not at
 * UTC midnight (which is 01:00 or 02:00 in Germany).
 */
export const BOX_OFFICE_TIME_ZONE = 'Europe/Berlin';

/** Offset of the zone from UTC at `instant`, in milliseconds (positive east of Greenwich). */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant at which the local calendar day containing `now` began in `timeZone`. */
export function startOfLocalDay(now: Date, timeZone: string = BOX_OFFICE_TIME_ZONE): Date {
  const local = new Date(now.getTime() + zoneOffsetMs(now.getTime(), timeZone));
  const midnightAsUtc = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  // Midnight's own offset may differ from now's (a DST change later that day); German changes happen at
  // 02:00/03:00, so one correction settles it.
  const guess = midnightAsUtc - zoneOffsetMs(midnightAsUtc, timeZone);
  return new Date(midnightAsUtc - zoneOffsetMs(guess, timeZone));
}
