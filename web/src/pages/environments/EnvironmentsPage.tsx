import { useState } from 'react';
import { getState, listEnvironments } from '../../api/endpoints';
import type { CreatedToken, Environment, RunningImage } from '../../api/types';
import { Digest, EnvironmentSwatch, ImageName } from '../../components/EnvironmentBits';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatRelative } from '../../format/dates';
import { useAsync } from '../../hooks/useAsync';
import { Link, navigate } from '../../router/router';
import { useMe } from '../../session/session';
import { TokenSecretDialog } from '../tokens/TokenSecretDialog';
import { CreateEnvironmentDialog } from './CreateEnvironmentDialog';

const SHOWN_PER_CARD = 4;

interface EnvironmentSummary extends Environment {
  running: RunningImage[];
}

/** Each environment with what runs there now (one small state request per environment, in parallel). */
async function loadSummaries(): Promise<EnvironmentSummary[]> {
  const environments = await listEnvironments();
  return Promise.all(environments.map(async (e) => ({ ...e, running: (await getState(e.name)).repositories })));
}

export function EnvironmentsPage() {
  const me = useMe();
  const summaries = useAsync(loadSummaries, []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ environment: Environment; token: CreatedToken } | null>(null);

  return (
    <>
      <PageHeader
        title="Environments"
        description="Where your images run. Pulls made with an environment's token become its deployment history."
        actions={
          <>
            {summaries.data && summaries.data.length >= 2 ? (
              <Link to="/environments/compare" className="button">
                Compare
              </Link>
            ) : null}
            {me.can.manageTokens ? (
              <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
                Create environment
              </button>
            ) : null}
          </>
        }
      />
      <ErrorAlert error={summaries.error} title="Could not load the environments." />
      {summaries.data?.length === 0 ? (
        <div className="card empty">No environments yet. Create one, for example production or staging, and give its cluster a token.</div>
      ) : null}
      <ul className="environment-grid" aria-label="Environments">
        {summaries.data?.map((env) => (
          <li key={env.id} className="card environment-card">
            <div className="environment-card-header">
              <EnvironmentSwatch color={env.color} large />
              <div>
                <h2>
                  <Link to={`/environments/${encodeURIComponent(env.name)}`}>{env.name}</Link>
                </h2>
                {env.description ? <p className="muted">{env.description}</p> : null}
              </div>
            </div>
            <h3 className="card-subtitle">Running now</h3>
            {env.running.length === 0 ? (
              <p className="muted">Nothing pulled with its tokens yet.</p>
            ) : (
              <ul className="running-list">
                {env.running.slice(0, SHOWN_PER_CARD).map((image) => (
                  <li key={image.repository}>
                    <ImageName repository={image.repository} tag={image.tag} />
                    <span className="running-meta">
                      <Digest digest={image.digest} /> · since {formatRelative(image.since)}
                    </span>
                  </li>
                ))}
                {env.running.length > SHOWN_PER_CARD ? <li className="muted">and {env.running.length - SHOWN_PER_CARD} more</li> : null}
              </ul>
            )}
          </li>
        ))}
      </ul>
      {creating ? (
        <CreateEnvironmentDialog
          onClose={() => setCreating(false)}
          onCreated={(environment, token) => {
            setCreating(false);
            if (token) setCreated({ environment, token });
            else navigate(`/environments/${encodeURIComponent(environment.name)}`);
          }}
        />
      ) : null}
      {created ? (
        <TokenSecretDialog
          created={created.token}
          onClose={() => {
            const name = created.environment.name;
            setCreated(null);
            navigate(`/environments/${encodeURIComponent(name)}`);
          }}
        />
      ) : null}
    </>
  );
}
