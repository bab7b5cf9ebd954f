
import { acceptInvitationInput, inviteInput, updateUserInput } from '../../core/users/user-service.js';
import type { AcceptedInvitation, Deleted, Invitation, InvitationInfo, User, UserList } from '../answers.js';
import type { User as CoreUser } from '../../core/model.js';
import type { ApiRoute } from '../route.js';
import { userAnswer } from '../serialize.js';

function invitationAnswer(invitation: { user: CoreUser; invitationToken: string; invitationUrl: string; expiresAt: Date; emailed: boolean }): Invitation {
  return {
    user: userAnswer(invitation.user),
    invitationToken: invitation.invitationToken,
    invitationUrl: invitation.invitationUrl,
    expiresAt: invitation.expiresAt.toISOString(),
    emailed: invitation.emailed,
  };
}

export const userRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/users',
    summary: 'List the team (admins)',
    auth: 'principal',
    handler: async ({ core, principal }): Promise<UserList> => ({ users: (await core.users.list(principal)).map(userAnswer) }),
  },
  {
    method: 'POST',
    path: '/api/v1/users',
    summary: 'Invite a user (admins): returns a one-time invitation link to hand over, and emails it when SMTP is configured (unless sendEmail is false)',
    auth: 'principal',
    status: 201,
    body: inviteInput,
    handler: async ({ core, principal, request, ctx }): Promise<Invitation> => invitationAnswer(await core.users.invite(principal, request.body, ctx)),
  },
  {
    method: 'POST',
    path: '/api/v1/users/:id/invitation',
    summary: 'Resend the invitation of someone who has not joined (admins): a new one-time link; the previous link stops working',
    auth: 'principal',
    status: 201,
    handler: async ({ core, principal, params, ctx }): Promise<Invitation> =>
      invitationAnswer(await core.users.resendInvitation(principal, params.id ?? '', ctx)),
  },
  {
    method: 'DELETE',
    path: '/api/v1/users/:id',
    summary: 'Delete someone invited who never joined (admins); people who joined are deactivated instead',
    auth: 'principal',
    async handler({ core, principal, params, ctx }): Promise<Deleted> {
      await core.users.deleteInvited(principal, params.id ?? '', ctx);
      return { deleted: true };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/users/:id',
    summary: 'Show a user (admins, or yourself)',
    auth: 'principal',
    handler: async ({ core, principal, params }): Promise<User> => userAnswer(await core.users.get(principal, params.id ?? '')),
  },
  {
    method: 'PATCH',
    path: '/api/v1/users/:id',
    summary: "Change a user's role or deactivate / reactivate them (admins)",
    auth: 'principal',
    body: updateUserInput,
    handler: async ({ core, principal, params, request, ctx }): Promise<User> => userAnswer(await core.users.update(principal, params.id ?? '', request.body, ctx)),
  },
  {
    method: 'GET',
    path: '/api/v1/invitations/:token',
    summary: 'Who an invitation link is for (public: the link is the credential)',
    auth: 'public',
    async handler({ core, params }): Promise<InvitationInfo> {
      const { username, email, expiresAt } = await core.users.invitation(params.token ?? '');
      return { username, email, expiresAt: expiresAt.toISOString() };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/invitations/accept',
    summary: 'Accept an invitation by choosing a password; then log in',
    auth: 'public',
    body: acceptInvitationInput,
    handler: async ({ core, request, ctx }): Promise<AcceptedInvitation> => ({ user: userAnswer(await core.users.acceptInvitation(request.body, ctx)) }),
  },
];

