/** Commander's accumulator for an option that may be given several times (`--scope a --scope b`). */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
