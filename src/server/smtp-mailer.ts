import type { Transporter } from 'nodemailer';
import type { Mailer, MailMessage } from '../core/notifications/ports.js';

/** Bounds an SMTP exchange, so a stalled mail server delays a delivery attempt, never the queue for long. */
const SMTP_TIMEOUT_MS = 15_000;

/**
 * Sends plain-text email through an SMTP server (FLY_SMTP_URL), with nodemailer. nodemailer (about 15 MB
 * of a process's memory) is loaded with the first email, not at startup.
 */
export function smtpMailer(url: string, from: string): Mailer {
  let transport: Promise<Transporter> | undefined;
  const open = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({ url, connectionTimeout: SMTP_TIMEOUT_MS, greetingTimeout: SMTP_TIMEOUT_MS, socketTimeout: SMTP_TIMEOUT_MS }),
    ));
  return {
    async send(message: MailMessage): Promise<void> {
      await (await open()).sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}
