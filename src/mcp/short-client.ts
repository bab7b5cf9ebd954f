/** How much of a client's user agent a tool's list answer keeps (the API keeps up to 256 characters). */
export const SHORT_CLIENT_LENGTH = 60;

/**
 * A user agent cut to what tells the client apart in an agent's context: its first two product tokens
 * ("npm/10.8.2 node/v20.19.0"), at most SHORT_CLIENT_LENGTH characters, marked with "…" when cut.
 * Clients such as npm or pip send 150–250 characters of platform detail per token; in a list of
 * fifty tokens that detail would crowd out everything else the agent reads.
 */
export function shortClient(agent: string | null): string | null {
  if (agent === null) return null;
  const words = agent.trim().split(/\s+/);
  let short = words.slice(0, 2).join(' ');
  if (short.length > SHORT_CLIENT_LENGTH) short = short.slice(0, SHORT_CLIENT_LENGTH - 1);
  return short.length < agent.trim().length ? `${short}…` : short;
}
