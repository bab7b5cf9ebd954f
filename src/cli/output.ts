/** Machine-readable output: one JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** A plain aligned table; empty cells show as "-". */
export function printTable(rows: Record<string, unknown>[], columns: [header: string, key: string][]): void {
  const cells = rows.map((row) => columns.map(([, key]) => cell(row[key])));
  const widths = columns.map(([header], i) => Math.max(header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  printLine(line(columns.map(([header]) => header)));
  for (const row of cells) printLine(line(row));
}

function cell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
