/** Conversions between stored epoch-millisecond numbers and Dates. */
export const toDate = (ms: number): Date => new Date(Number(ms));
export const toDateOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(Number(ms)));
export const toMs = (date: Date): number => date.getTime();
export const toMsOrNull = (date: Date | null): number | null => (date === null ? null : date.getTime());
