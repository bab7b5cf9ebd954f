import type { ReactNode } from 'react';

export type BadgeTone = 'green' | 'amber' | 'red' | 'grey' | 'blue' | 'violet';

/** A coloured pill with a dot, so the state reads without relying on colour alone. */
export function Badge({ tone, children }: { tone: BadgeTone; children: ReactNode }) {
  return (
    <span className={`badge badge-${tone}`}>
      <span className="badge-dot" aria-hidden="true" />
      {children}
    </span>
  );
}

const TOKEN_TONES = { active: 'green', expired: 'amber', revoked: 'red' } as const;
const USER_TONES = { active: 'green', invited: 'blue', deactivated: 'grey' } as const;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function TokenStatusBadge({ status }: { status: keyof typeof TOKEN_TONES }) {
  return <Badge tone={TOKEN_TONES[status]}>{capitalise(status)}</Badge>;
}

export function UserStatusBadge({ status }: { status: keyof typeof USER_TONES }) {
  return <Badge tone={USER_TONES[status]}>{capitalise(status)}</Badge>;
}
