const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for an ISO date (`YYYY-MM-DD`), in UTC. */
export function dayNumber(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`) / DAY_MS);
}

/** Days since 1970-01-01 for an instant, in UTC. */
export function today(now: Date): number {
  return Math.floor(now.getTime() / DAY_MS);
}

/** The ISO date `days` after `now` (UTC). */
export function addDays(now: Date, days: number): string {
  return new Date((today(now) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** The ISO date of an instant (UTC). */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}
