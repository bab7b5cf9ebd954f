
import { acceptInvitationInput, inviteInput, updateUserInput } from '../../core/users/user-service.js';
import type { ApiRoute } from '../route.js';

export const userRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/users',
    summary: 'List the team (admins)',
    auth: 'principal',
    handler: async ({ core, principal }) => ({ users: await core.users.list(principal) }),
  },
  {
    method: 'POST',
    path: '/api/v1/users',
    summary: 'Invite a user (admins): returns a one-time invitation link to hand over',
    auth: 'principal',
    status: 201,
    body: inviteInput,
    handler: ({ core, principal, request, ctx }) => core.users.invite(principal, request.body, ctx),
  },
  {
    method: 'GET',
    path: '/api/v1/users/:id',
    summary: 'Show a user (admins, or yourself)',
    auth: 'principal',
    handler: ({ core, principal, params }) => core.users.get(principal, params.id ?? ''),
  },
  {
    method: 'PATCH',
    path: '/api/v1/users/:id',
    summary: "Change a user's role or deactivate / reactivate them (admins)",
    auth: 'principal',
    body: updateUserInput,
    handler: ({ core, principal, params, request, ctx }) => core.users.update(principal, params.id ?? '', request.body, ctx),
  },
  {
    method: 'GET',
    path: '/api/v1/invitations/:token',
    summary: 'Who an invitation link is for (public: the link is the credential)',
    auth: 'public',
    handler: ({ core, params }) => core.users.invitation(params.token ?? ''),
  },
  {
    method: 'POST',
    path: '/api/v1/invitations/accept',
    summary: 'Accept an invitation by choosing a password; then log in',
    auth: 'public',
    body: acceptInvitationInput,
    handler: async ({ core, request, ctx }) => ({ user: await core.users.acceptInvitation(request.body, ctx) }),
  },
];

