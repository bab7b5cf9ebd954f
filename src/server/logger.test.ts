import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLogs } from './logger.js';

/** A destination that drops whole writes while `full`, as the bounded stdout does (sonic-boom's maxLength). */
class FillingDestination extends EventEmitter {
  full = false;
  readonly lines: string[] = [];

  write(data: string): boolean {
    if (this.full) this.emit('drop', data);
    else this.lines.push(...data.split('\n').filter(Boolean));
    return true;
  }
}

describe('dropped log lines', () => {
  it('are counted, and a warning the full buffer drops too keeps the count for the next write', () => {
    const destination = new FillingDestination();
    const { logger } = createLogs('info', destination);
    destination.full = true;
    for (let i = 0; i < 3; i++) logger.info({ i }, 'lost');
    // A write completes while the buffer is still full: the warning is dropped as well.
    destination.emit('write', 100);
    expect(destination.lines).toEqual([]);
    destination.full = false;
    destination.emit('write', 100);
    const warnings = destination.lines.map((line) => JSON.parse(line) as { droppedLines?: number }).filter((line) => line.droppedLines !== undefined);
    expect(warnings.map((line) => line.droppedLines)).toEqual([3]);
    // Reported once: later writes say nothing more.
    destination.emit('write', 100);
    expect(destination.lines).toHaveLength(1);
  });
});
