import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ApiError } from '../client/transport.js';

/** A successful answer: a one-line summary for the agent, then the data as JSON. */
export function ok(summary: string, data: unknown): CallToolResult {
  const structured = (typeof data === 'object' && data !== null && !Array.isArray(data) ? data : { items: data }) as Record<string, unknown>;
  return {
    content: [{ type: 'text', text: `${summary}\n\n${JSON.stringify(data, null, 2)}` }],
    structuredContent: structured,
  };
}

/** A refusal or failure as a tool error (isError), carrying the API's own reason so the agent can act on it. */
export function failure(error: unknown): CallToolResult {
  const text =
    error instanceof ApiError
      ? `Refused by the registry (HTTP ${error.status}, ${error.code}): ${error.message}`
      : `Failed: ${error instanceof Error ? error.message : String(error)}`;
  return { isError: true, content: [{ type: 'text', text }] };
}

/** Runs a tool body, turning any thrown error into a tool error rather than a protocol error. */
export async function guarded(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    return failure(error);
  }
}
