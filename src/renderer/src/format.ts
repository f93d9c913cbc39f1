/** Numbers and durations the way people read them in a status line. */

export function formatCount(n: number, locale?: string): string {
  return new Intl.NumberFormat(locale).format(n);
}

/** "12.5/s", "3/s", "0.2/s"; empty when nothing is moving. */
export function formatRate(perSecond: number): string {
  if (!(perSecond > 0)) return '';
  const digits = perSecond >= 10 ? 0 : 1;
  return `${perSecond.toFixed(digits).replace(/\.0$/, '')}/s`;
}

/** "less than a minute", "about 4 min", "about 2 h 5 min"; null when unknown. */
export function formatTimeLeft(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 60) return 'less than a minute left';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `about ${hours} h left` : `about ${hours} h ${rest} min left`;
}

/** 0..1, safe for total 0 (nothing to do counts as done). */
export function fraction(done: number, total: number): number {
  if (!(total > 0)) return 1;
  return Math.max(0, Math.min(1, done / total));
}

/** "2.4 MB" in decimal units, as file managers show them. */
export function formatBytes(bytes: number): string {
  if (!(bytes >= 0)) return '';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}
