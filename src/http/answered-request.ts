/**
 * One answered request, as the access log and the request metrics record it, whichever lane answered it
 * (Fastify's `onResponse` hook, or the memory lane: protocols/kit/memory-lane.ts). Never a header, so never
 * a credential; the URL is redacted by the log that writes it.
 */
export interface AnsweredRequest {
  reqId: string;
  method: string;
  url: string;
  /** The route pattern Fastify knows the request by (`/v2/*`, `/npm/:pkg`), or `unmatched`. */
  route: string;
  status: number;
  /** Time to answer, in milliseconds (unrounded). */
  ms: number;
  ip: string;
  /** Answered by the memory lane, before Fastify: logged as `"from":"memory"`. */
  memory?: boolean;
}
