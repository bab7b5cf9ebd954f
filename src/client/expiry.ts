const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/**
 * Reads an expiry as people type it: `never`, a duration from now (`12h`, `30d`, `4w`), or an ISO-8601
 * date or date-time. A bare date means "until the end of that day" in this machine's time zone, as the
 * dashboard's date picker means it in the browser's. Returns the ISO time or null (never).
 * The server still checks that it lies in the future.
 */
export function parseExpiry(text: string, now: Date): string | null {
  const value = text.trim();
  if (value.toLowerCase() === 'never') return null;
  const duration = /^(\d{1,5})([hdw])$/i.exec(value);
  if (duration) {
    const unit = (duration[2] as string).toLowerCase() as keyof typeof UNIT_MS;
    return new Date(now.getTime() + Number(duration[1]) * UNIT_MS[unit]).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59.999` : value);
    if (!Number.isNaN(at.getTime())) return at.toISOString();
  }
  throw new Error(`cannot read the expiry ${JSON.stringify(text)}: use "never", a duration like 30d, 12h or 4w, or a date like 2030-01-31`);
}
