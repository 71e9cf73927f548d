// The request's page frame: what the shared layout needs to know about who is looking, without the
// layout importing any module. A staff guard that lets a request through puts the officer's frame here
// (name, role, agency, the links their role may use, a sign-out token); `Layout` then draws the staff
// shell instead of the citizen header. One store per request (AsyncLocalStorage entered in onRequest).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';

export interface StaffNavLink {
  key: string;
  href: string;
  label: string;
}

export interface StaffFrame {
  name: string;
  role: string;
  agency: string | null;
  nav: StaffNavLink[];
  signOut: { action: string; csrf: () => string };
}

interface Store {
  staff?: StaffFrame;
}

const store = new AsyncLocalStorage<Store>();

export function registerFrame(app: FastifyInstance): void {
  app.addHook('onRequest', (_req, _reply, done) => store.run({}, done));
}

export function setStaffFrame(frame: StaffFrame): void {
  const s = store.getStore();
  if (s) s.staff = frame;
}

export function staffFrame(): StaffFrame | undefined {
  return store.getStore()?.staff;
}
