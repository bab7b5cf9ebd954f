import type { FastifyInstance } from 'fastify';
import type { Core } from '../core/core.js';
import { requestContext } from '../http/credentials.js';

/** Reports carry at most 1000 matches (core/tokens/leak-reports.ts); a MiB holds them with room to spare. */
const REPORT_BODY_LIMIT = 1024 * 1024;

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * GitHub's secret-scanning partner endpoint. It lives outside the JSON route table because the signature
 * covers the exact bytes GitHub sent: this plugin keeps the body raw (its own encapsulated JSON parser) and
 * core verifies it before parsing. Errors go through the API's error handler (`{"error":{…}}`).
 */
export async function secretScanningPlugin(app: FastifyInstance, { core }: { core: Core }): Promise<void> {
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: REPORT_BODY_LIMIT }, (_request, body, done) => done(null, body));
  app.post('/api/v1/secret-scanning/github', { bodyLimit: REPORT_BODY_LIMIT }, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const verdicts = await core.leaks.github(
      raw,
      header(request.headers['github-public-key-identifier']),
      header(request.headers['github-public-key-signature']),
      requestContext(request),
    );
    return reply.status(200).send(verdicts);
  });
}
