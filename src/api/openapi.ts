import { z } from 'zod';
import type { ApiRoute } from './route.js';

/** The OpenAPI 3.1 description of the management API, derived from the route table and its schemas. */
export function openApiDocument(routes: ApiRoute[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([a-zA-Z]+)/g, '{$1}');
    const params = [...route.path.matchAll(/:([a-zA-Z]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const operation: Record<string, unknown> = {
      summary: route.summary,
      security: route.auth === 'public' ? [] : [{ bearer: [] }, { basic: [] }, { cookie: [] }],
      parameters: params,
      responses: {
        [String(route.status ?? 200)]: { description: 'Success' },
        default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (route.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: z.toJSONSchema(route.body, { io: 'input' }) } } };
    }
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Fly Registry management API', version },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A session token from /api/v1/auth/login, or a registry token' },
        basic: { type: 'http', scheme: 'basic', description: 'Token username (or creator, or __token__) and the registry token' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'fly_session', description: 'Writes also need the X-CSRF-Token header' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
            },
          },
        },
      },
    },
  };
}
