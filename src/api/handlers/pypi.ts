import { z } from 'zod';
import { displayText, parseInput } from '../../core/validation.js';
import type { DeletedRelease, YankAnswer } from '../answers.js';
import type { ApiRoute } from '../route.js';

const yankInput = z.strictObject({ reason: displayText(500).optional() });

/** Yanking (PEP 592) is a management action: the Simple API has no verb for it. */
export const pypiRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/pypi/projects/:project/versions/:version/yank',
    summary: 'Yank a Python release: pip skips it unless pinned exactly (needs delete rights: a read & write token or a user)',
    auth: 'principal',
    body: yankInput,
    handler: ({ core, principal, params, request, ctx }): Promise<YankAnswer> => {
      const { reason } = parseInput(yankInput, request.body ?? {});
      return core.pypi.setYanked(principal, params.project ?? '', params.version ?? '', reason ?? '', ctx);
    },
  },
  {
    method: 'POST',
    path: '/api/v1/pypi/projects/:project/versions/:version/unyank',
    summary: 'Un-yank a Python release',
    auth: 'principal',
    handler: ({ core, principal, params, ctx }): Promise<YankAnswer> => core.pypi.setYanked(principal, params.project ?? '', params.version ?? '', null, ctx),
  },
  {
    method: 'DELETE',
    path: '/api/v1/pypi/projects/:project/versions/:version',
    summary: 'Delete a yanked Python release and its files (needs delete rights); flyreg gc then reclaims their storage',
    auth: 'principal',
    handler: ({ core, principal, params, ctx }): Promise<DeletedRelease> => core.pypi.deleteRelease(principal, params.project ?? '', params.version ?? '', ctx),
  },
];
