import { useState } from 'react';
import type { Permission } from '../../api/types';
import { addDays, endOfLocalDay, toDateInputValue } from '../../format/dates';

/** src/client/token-defaults.ts's DEFAULT_EXPIRY_DAYS: the same default for flyreg and the MCP tools. */
const DEFAULT_DAYS = 30;

export function PermissionField({ value, onChange, name = 'permission' }: { value: Permission; onChange: (p: Permission) => void; name?: string }) {
  return (
    <fieldset className="field">
      <legend>Permission</legend>
      <div className="choice-group">
        <label className="choice">
          <input type="radio" name={name} value="read-write" checked={value === 'read-write'} onChange={() => onChange('read-write')} />
          <span>
            <strong>Read & Write</strong>
            <small>Pull and publish images and packages</small>
          </span>
        </label>
        <label className="choice">
          <input type="radio" name={name} value="read-only" checked={value === 'read-only'} onChange={() => onChange('read-only')} />
          <span>
            <strong>Read-Only</strong>
            <small>Pull and install only</small>
          </span>
        </label>
      </div>
    </fieldset>
  );
}

export interface Expiry {
  kind: 'date' | 'never';
  date: string;
}

/** The expiry the form starts with; `expiresAt` turns it into what the API wants (ISO date-time or null). */
export function useExpiry(initial: Expiry['kind'] = 'date') {
  const [expiry, setExpiry] = useState<Expiry>({ kind: initial, date: toDateInputValue(addDays(new Date(), DEFAULT_DAYS)) });
  const expiresAt = expiry.kind === 'never' ? null : endOfLocalDay(expiry.date).toISOString();
  return { expiry, setExpiry, expiresAt };
}

export function ExpiryField({ value, onChange, idPrefix }: { value: Expiry; onChange: (e: Expiry) => void; idPrefix: string }) {
  const tomorrow = toDateInputValue(addDays(new Date(), 1));
  return (
    <fieldset className="field">
      <legend>Expiration</legend>
      <div className="choice-group">
        <label className="choice">
          <input type="radio" name={`${idPrefix}-expiry`} value="date" checked={value.kind === 'date'} onChange={() => onChange({ ...value, kind: 'date' })} />
          <span>
            <strong>On a date</strong>
            <small>The token stops working at the end of that day</small>
          </span>
        </label>
        <label className="choice">
          <input type="radio" name={`${idPrefix}-expiry`} value="never" checked={value.kind === 'never'} onChange={() => onChange({ ...value, kind: 'never' })} />
          <span>
            <strong>Never</strong>
            <small>Works until it is revoked</small>
          </span>
        </label>
      </div>
      {value.kind === 'date' ? (
        <div className="field field-inline">
          <label htmlFor={`${idPrefix}-expiry-date`}>Expiration date</label>
          <input
            id={`${idPrefix}-expiry-date`}
            type="date"
            min={tomorrow}
            value={value.date}
            onChange={(e) => onChange({ ...value, date: e.target.value })}
            required
          />
        </div>
      ) : null}
    </fieldset>
  );
}
