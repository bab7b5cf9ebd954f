import { describe, expect, it } from 'vitest';
import { BodyMemory } from './body-memory.js';

describe('BodyMemory', () => {
  it('holds bodies up to its budget, refuses past it, and frees what is released (once)', () => {
    const memory = new BodyMemory(100);
    const first = memory.hold(60);
    expect(first).toBeDefined();
    expect(memory.hold(50)).toBeUndefined();
    const second = memory.hold(40);
    expect(memory.heldBytes).toBe(100);
    first?.();
    first?.();
    expect(memory.heldBytes).toBe(40);
    expect(memory.hold(60)).toBeDefined();
    second?.();
  });

  it('lets a body larger than the whole budget come alone, and nothing beside it', () => {
    const memory = new BodyMemory(100);
    const large = memory.hold(500);
    expect(large).toBeDefined();
    expect(memory.hold(1)).toBeUndefined();
    large?.();
    expect(memory.heldBytes).toBe(0);
    const small = memory.hold(1);
    expect(memory.hold(500)).toBeUndefined();
    small?.();
  });
});
