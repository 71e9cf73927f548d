// Test helpers (not a test file): the shared session helpers (test/helpers/sessions.ts), plus a
// shorthand for posting an answer form with one evidence file.
import type { TestApp } from '../../../test/helpers/app.ts';
import { browserFor, signedInStaff as signedIn, type Browser } from '../../../test/helpers/sessions.ts';
import type { StaffRole } from '../../db/schema.ts';

type EvidenceFile = { name: string; type: string; data: Buffer };

const withEvidence = (b: Browser) =>
  Object.assign(b, {
    /** Posts the fields (CSRF first) and, when given, the evidence file as the `file` part. */
    multipart: (url: string, fields: Record<string, string>, file?: EvidenceFile) =>
      b.postMultipart(url, [
        ...Object.entries(fields).map(([name, value]) => ({ name, value })),
        ...(file ? [{ name: 'file', filename: file.name, type: file.type, content: file.data }] : []),
      ]),
  });

export const client = (t: TestApp) => withEvidence(browserFor(t));

/** A staff account set up from its invitation and signed in with password and authenticator. */
export async function signedInStaff(t: TestApp, email: string, role: StaffRole, agency: string | null) {
  const { b, id } = await signedIn(t, email, role, agency);
  return { b: withEvidence(b), id };
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
