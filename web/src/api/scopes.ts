import { apiRequest } from './client';
import type { ScopePreview } from './types';

/** The token dialog's live preview: what each `protocol:pattern` matches today, among what you may see. */
export const previewScope = (scope: string[]) => apiRequest<ScopePreview>('POST', '/api/v1/tokens/scope-preview', { scope });

/** How a scope entry reads (`oci:team/*`, `npm:@acme/* (pull)`): the server's one formatter, shared with the CLI. */
export { formatScopeEntry } from '../../../src/core/auth/scope-grant';
