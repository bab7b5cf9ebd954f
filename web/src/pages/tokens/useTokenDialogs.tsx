import { useState } from 'react';
import type { CreatedToken, RotatedToken, Token } from '../../api/types';
import { CreateTokenDialog } from './CreateTokenDialog';
import { RotateTokenDialog } from './RotateTokenDialog';
import { TokenConfirmDialogs, type TokenAction } from './TokenConfirmDialogs';
import { TokenSecretDialog } from './TokenSecretDialog';

interface TokenDialogsOptions {
  /** Creates tokens for this environment (an environment's page); otherwise the dialog offers the choice. */
  environment?: string;
  /** Called after a token was created, rotated, revoked or deleted, to reload the page's list. */
  onChanged: () => void;
}

/** The dialogs of a page that lists tokens: create or rotate, show the new secret once, confirm a revoke or delete. */
export function useTokenDialogs({ environment, onChanged }: TokenDialogsOptions) {
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedToken | RotatedToken | null>(null);
  const [rotating, setRotating] = useState<Token | null>(null);
  const [action, setAction] = useState<TokenAction>(null);

  const dialogs = (
    <>
      {creating ? (
        <CreateTokenDialog
          environment={environment}
          onClose={() => setCreating(false)}
          onCreated={(token) => {
            setCreating(false);
            setCreated(token);
            onChanged();
          }}
        />
      ) : null}
      {rotating ? (
        <RotateTokenDialog
          token={rotating}
          onClose={() => setRotating(null)}
          onRotated={(rotated) => {
            setRotating(null);
            setCreated(rotated);
            onChanged();
          }}
        />
      ) : null}
      {created ? <TokenSecretDialog created={created} onClose={() => setCreated(null)} /> : null}
      <TokenConfirmDialogs
        action={action}
        onDone={(changed) => {
          setAction(null);
          if (changed) onChanged();
        }}
      />
    </>
  );

  return {
    create: () => setCreating(true),
    revoke: (token: Token) => setAction({ kind: 'revoke', token }),
    rotate: (token: Token) => setRotating(token),
    remove: (token: Token) => setAction({ kind: 'delete', token }),
    /** Render these once, anywhere in the page. */
    dialogs,
  };
}
