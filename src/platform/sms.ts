// The SMS gateway interface and its two implementations: a file outbox for development and tests
// (one JSON line per message in DATA_DIR/outbox/sms.jsonl) and an HTTP provider.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';

export interface SmsGateway {
  send(to: string, text: string): Promise<void>;
}

export class FileSmsGateway implements SmsGateway {
  readonly file: string;
  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'outbox', 'sms.jsonl');
  }
  async send(to: string, text: string): Promise<void> {
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    await fs.promises.appendFile(this.file, JSON.stringify({ to, text, at: new Date().toISOString() }) + '\n');
  }
}

export class HttpSmsGateway implements SmsGateway {
  constructor(
    private readonly url: string,
    private readonly token?: string,
  ) {}
  async send(to: string, text: string): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ to, text }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`SMS provider answered ${res.status}`);
  }
}

export function smsGateway(config: Config): SmsGateway {
  if (config.SMS_GATEWAY !== 'http') return new FileSmsGateway(config.DATA_DIR);
  if (!config.SMS_HTTP_URL) throw new Error('SMS_HTTP_URL is required when SMS_GATEWAY is http'); // loadConfig refuses this already
  return new HttpSmsGateway(config.SMS_HTTP_URL, config.SMS_HTTP_TOKEN);
}
