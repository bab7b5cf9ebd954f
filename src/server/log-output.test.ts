import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLogs } from './logger.js';

/** A destination that drops whole writes while `full`, as the bounded stdout does (sonic-boom's maxLength). */
class FillingDestination extends EventEmitter {
  full = false;
  syncFlushes = 0;
  readonly lines: string[] = [];

  write(data: string): boolean {
    if (this.full) this.emit('drop', data);
    else this.lines.push(...data.split('\n').filter(Boolean));
    return true;
  }

  flushSync(): void {
    this.syncFlushes++;
  }

  warnings(): { droppedLines?: number; outputError?: string }[] {
    return this.lines.map((line) => JSON.parse(line) as { droppedLines?: number; outputError?: string }).filter((line) => line.droppedLines !== undefined);
  }
}

describe('what stdout could not take', () => {
  it('is counted, and a warning the full buffer drops too keeps the count for the next write', () => {
    const destination = new FillingDestination();
    const { logger } = createLogs('info', destination);
    destination.full = true;
    for (let i = 0; i < 3; i++) logger.info({ i }, 'lost');
    // A write completes while the buffer is still full: the warning is dropped as well.
    destination.emit('write', 100);
    expect(destination.lines).toEqual([]);
    destination.full = false;
    destination.emit('write', 100);
    expect(destination.warnings()).toEqual([expect.objectContaining({ droppedLines: 3 })]);
    // Reported once: later writes say nothing more.
    destination.emit('write', 100);
    expect(destination.lines).toHaveLength(1);
  });

  it('a failing write is reported once one succeeds, and the sync flush is skipped while writes fail', () => {
    const destination = new FillingDestination();
    const logs = createLogs('info', destination);
    destination.emit('error', Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
    logs.flush();
    expect(destination.syncFlushes).toBe(0);
    destination.emit('write', 100);
    expect(destination.warnings()).toEqual([expect.objectContaining({ droppedLines: 0, outputError: 'ENOSPC' })]);
    logs.flush();
    expect(destination.syncFlushes).toBe(1);
  });
});
