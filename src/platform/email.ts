// The email gateway interface: a file outbox for development and tests (one JSON line per message in
// DATA_DIR/outbox/email.jsonl), or SMTP through nodemailer when SMTP_URL is set.
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface EmailGateway {
  send(message: EmailMessage): Promise<void>;
}

export class FileEmailGateway implements EmailGateway {
  readonly file: string;
  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'outbox', 'email.jsonl');
  }
  async send(m: EmailMessage): Promise<void> {
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    await fs.promises.appendFile(this.file, JSON.stringify({ ...m, at: new Date().toISOString() }) + '\n');
  }
}

export class SmtpEmailGateway implements EmailGateway {
  readonly #transport: nodemailer.Transporter;
  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.#transport = nodemailer.createTransport(url);
  }
  async send(m: EmailMessage): Promise<void> {
    await this.#transport.sendMail({ from: this.from, to: m.to, subject: m.subject, text: m.text });
  }
}

export function emailGateway(config: Config): EmailGateway {
  return config.SMTP_URL ? new SmtpEmailGateway(config.SMTP_URL, config.EMAIL_FROM) : new FileEmailGateway(config.DATA_DIR);
}
