const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/**
 * Reads a rotation's overlap as people type it: `0` (the old secret stops at once), seconds, or a duration
 * (`90s`, `30m`, `24h`, `7d`). Returns seconds; the server checks the range (at most 30 days).
 */
export function parseOverlap(text: string): number {
  const match = /^(\d{1,7})([smhd]?)$/i.exec(text.trim());
  if (!match) throw new Error(`cannot read the overlap ${JSON.stringify(text)}: use 0, a number of seconds, or a duration like 30m, 24h or 7d`);
  const unit = ((match[2] as string).toLowerCase() || 's') as keyof typeof UNIT_SECONDS;
  return Number(match[1]) * UNIT_SECONDS[unit];
}
