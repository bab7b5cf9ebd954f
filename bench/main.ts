#!/usr/bin/env node
import type { BenchResult } from './section.js';
import { SECTIONS } from './sections.js';

/**
 * `npm run bench [section…]`: runs every section of bench/sections.ts (or only the named ones) and
 * prints one table. Exits 1 when a section fails to run; a missed target is reported, not fatal.
 */
async function main(names: string[]): Promise<number> {
  const unknown = names.filter((n) => !SECTIONS.some((s) => s.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`unknown bench section(s): ${unknown.join(', ')}; known: ${SECTIONS.map((s) => s.name).join(', ')}\n`);
    return 2;
  }
  const chosen = names.length > 0 ? SECTIONS.filter((s) => names.includes(s.name)) : SECTIONS;
  const rows: BenchResult[] = [];
  let failed = false;
  for (const section of chosen) {
    const started = Date.now();
    process.stderr.write(`bench: ${section.name}…\n`);
    try {
      rows.push(...(await section.run()).map((r) => ({ ...r, metric: `${section.name}: ${r.metric}` })));
    } catch (error) {
      failed = true;
      process.stderr.write(`bench: ${section.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.stderr.write(`bench: ${section.name} took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  process.stdout.write(formatTable(rows));
  return failed ? 1 : 0;
}

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function formatTable(rows: BenchResult[]): string {
  const header = ['metric', 'value', 'unit', 'target', 'ok'];
  const cells = rows.map((r) => [r.metric, formatValue(r.value), r.unit, r.target ?? '', r.ok === undefined ? '' : r.ok ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => `| ${c.map((v, i) => (i === 1 ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join(' | ')} |\n`;
  return line(header) + line(widths.map((w) => '-'.repeat(w))) + cells.map(line).join('');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
