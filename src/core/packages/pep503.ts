/** PEP 503 name normalisation: runs of "-", "_" and "." become one "-", lowercased. */
export function normalizePypiName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}
