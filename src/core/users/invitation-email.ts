import type { MailMessage } from '../notifications/ports.js';

/** The invitation email: the one-time link, who sent it and until when it works. */
export function invitationEmail(to: string, link: string, invitedBy: string, expiresAt: Date): MailMessage {
  return {
    to,
    subject: 'You are invited to Fly Registry',
    text: [
      `${invitedBy} invited you to Fly Registry.`,
      '',
      `Choose your password here (the link works once, until ${expiresAt.toISOString()}):`,
      link,
      '',
      'If you did not expect this, ignore this email.',
      '',
      '— Fly Registry',
    ].join('\n'),
  };
}
