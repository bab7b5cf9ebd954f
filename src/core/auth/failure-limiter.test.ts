import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { FailureLimiter } from './failure-limiter.js';

const refusal = (fn: () => void): AppError | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
};

const refusedReservation = async (attempt: Promise<unknown>): Promise<AppError | undefined> => {
  try {
    await attempt;
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
};

describe('FailureLimiter', () => {
  it('refuses an address once it reaches the limit, until its window ends', () => {
    const limiter = new FailureLimiter(3, 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(refusal(() => limiter.check('10.0.0.1', t0 + i))).toBeUndefined();
      void limiter.recordFailure('10.0.0.1', t0 + i);
    }
    const error = refusal(() => limiter.check('10.0.0.1', t0 + 1000));
    expect(error?.code).toBe('rate_limited');
    expect(error?.details.retryAfterSeconds).toBe(59);
    expect(refusal(() => limiter.check('10.0.0.1', t0 + 59_999))?.details.retryAfterSeconds).toBe(1);
    expect(refusal(() => limiter.check('10.0.0.1', t0 + 60_000))).toBeUndefined();
    // A new window starts from zero.
    void limiter.recordFailure('10.0.0.1', t0 + 60_001);
    expect(refusal(() => limiter.check('10.0.0.1', t0 + 60_002))).toBeUndefined();
  });

  it('counts each address on its own', () => {
    const limiter = new FailureLimiter(1, 60_000);
    void limiter.recordFailure('10.0.0.1', 0);
    expect(refusal(() => limiter.check('10.0.0.1', 1))?.code).toBe('rate_limited');
    expect(refusal(() => limiter.check('10.0.0.2', 1))).toBeUndefined();
  });

  it('keeps every open window while many addresses fail at once, and forgets ended ones', () => {
    const limiter = new FailureLimiter(1, 60_000);
    const addresses = Array.from({ length: 150_000 }, (_, i) => `2001:db8::${i.toString(16)}`);
    // Past the sweeping size, every address still holds its count: nothing open is evicted to make room.
    addresses.forEach((address, i) => void limiter.recordFailure(address, i / 10));
    expect(addresses.filter((address) => refusal(() => limiter.check(address, 15_000))?.code !== 'rate_limited')).toEqual([]);
    // Once their window has ended, the sweep a new address sets off clears them, and each starts anew.
    addresses.forEach((address, i) => void limiter.recordFailure(`${address}:1`, 80_000 + i / 10));
    expect(refusal(() => limiter.check(addresses[0] as string, 80_000))).toBeUndefined();
    expect(refusal(() => limiter.check('2001:db8::1:1', 80_001))?.code).toBe('rate_limited');
  });

  it('never limits requests without an address', () => {
    const limiter = new FailureLimiter(1, 60_000);
    void limiter.recordFailure(null, 0);
    void limiter.recordFailure(null, 1);
    expect(refusal(() => limiter.check(null, 2))).toBeUndefined();
  });

  it('reserves attempts before they are checked: concurrent attempts beyond the limit are refused', async () => {
    const limiter = new FailureLimiter(3, 60_000);
    const attempts = await Promise.all([0, 1, 2].map(() => limiter.reserve(['10.0.0.1', 'account:alice'], 0)));
    expect((await refusedReservation(limiter.reserve(['10.0.0.1', 'account:alice'], 1)))?.code).toBe('rate_limited');
    // The account is limited from any address, and the address for any account.
    expect((await refusedReservation(limiter.reserve(['10.0.0.9', 'account:alice'], 1)))?.code).toBe('rate_limited');
    expect((await refusedReservation(limiter.reserve(['10.0.0.1', 'account:bob'], 1)))?.code).toBe('rate_limited');
    // A success gives its place back; a failure keeps it.
    await attempts[0]?.succeeded();
    attempts[1]?.failed();
    const next = await limiter.reserve(['10.0.0.1', 'account:alice'], 2);
    expect((await refusedReservation(limiter.reserve(['10.0.0.1', 'account:alice'], 3)))?.code).toBe('rate_limited');
    await next.succeeded();
    await next.succeeded();
    expect(refusal(() => limiter.check('10.0.0.1', 4))).toBeUndefined();
  });

  it('a refused reservation counts nothing', async () => {
    const limiter = new FailureLimiter(1, 60_000);
    (await limiter.reserve(['account:alice'], 0)).failed();
    expect((await refusedReservation(limiter.reserve(['10.0.0.1', 'account:alice'], 1)))?.code).toBe('rate_limited');
    expect(refusal(() => limiter.check('10.0.0.1', 2))).toBeUndefined();
  });
});
