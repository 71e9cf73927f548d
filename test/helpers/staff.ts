// Staff in route tests (the documents, agency API and webhook tests' names for the session helpers).
import type { StaffRole } from '../../src/db/schema.ts';
import type { TestApp } from './app.ts';
import { signedInStaff as signedIn } from './sessions.ts';

/** A signed-in staff member's client. */
export async function signedInStaff(t: TestApp, email: string, role: StaffRole, agency: string | null) {
  const { b, id } = await signedIn(t, email, role, agency);
  return { client: b, staffId: id };
}
