import nodemailer, { type Transporter } from 'nodemailer';
import type { SmtpSettings } from './settings';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  deliveryId: string;
  eventType: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** E-mail over SMTP (nodemailer). One transport per worker; messages carry the delivery id. */
export function createMailer(smtp: SmtpSettings): Mailer {
  const transport: Transporter = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  const domain = /@([^>\s]+)>?\s*$/.exec(smtp.from)?.[1] ?? 'glappfri.invalid';
  return {
    async send(mail) {
      await transport.sendMail({
        from: smtp.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        // The same delivery retried is the same message to mail systems, too.
        messageId: `<${mail.deliveryId}@${domain}>`,
        headers: { 'X-Glappfri-Delivery-Id': mail.deliveryId, 'X-Glappfri-Event': mail.eventType },
      });
    },
  };
}

/** An SMTP failure in words that hold no credentials. */
export function describeSmtpError(err: unknown, secrets: readonly (string | undefined)[]): string {
  const e = err as { code?: string; responseCode?: number; message?: string };
  let text = ['SMTP', e.code, e.responseCode, e.message?.split('\n')[0]].filter((x) => x !== undefined && x !== '').join(' ');
  for (const s of secrets) if (s && s.length >= 3) text = text.split(s).join('[redacted]');
  return text.slice(0, 300);
}
