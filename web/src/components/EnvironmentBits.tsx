import type { Drift, ReleaseRef } from '../api/types';
import { Link } from '../router/router';
import { Badge } from './Badge';

/** An environment's colour; one without a colour shows an empty dashed ring, not a grey block that looks unloaded. */
export function EnvironmentSwatch({ color, large }: { color: string | null; large?: boolean }) {
  const size = large ? 'swatch swatch-large' : 'swatch';
  if (!color) return <span className={`${size} swatch-none`} title="No colour chosen" aria-hidden="true" />;
  return <span className={size} style={{ backgroundColor: color }} aria-hidden="true" />;
}

/** `sha256:0123456789ab…`: enough to tell images apart; the full digest in the tooltip and for copying. */
export function Digest({ digest }: { digest: string }) {
  const [algorithm, hex = ''] = digest.split(':');
  return (
    <code className="code-inline digest" title={digest}>
      {algorithm}:{hex.slice(0, 12)}
    </code>
  );
}

/** `repository:tag` (or `repository@digest` for pulls by digest), as a person would type it. */
export function ImageName({ repository, tag }: { repository: string; tag: string | null }) {
  return (
    <span className="image-name">
      {repository}
      {tag ? <span className="muted">:{tag}</span> : null}
    </span>
  );
}

export function ReleaseLink({ release }: { release: ReleaseRef | null }) {
  if (!release) return <span className="muted">No release</span>;
  return (
    <Link to={`/releases/${release.id}`}>
      {release.name} {release.version}
    </Link>
  );
}

/** "Up to date", "Behind by 2", "Unknown image", in colour and in words. */
export function DriftBadge({ drift }: { drift: Pick<Drift, 'status' | 'behind'> }) {
  if (drift.status === 'up-to-date') return <Badge tone="green">Up to date</Badge>;
  if (drift.status === 'behind') return <Badge tone="amber">Behind by {drift.behind ?? '?'}</Badge>;
  return <Badge tone="grey">Unknown image</Badge>;
}
