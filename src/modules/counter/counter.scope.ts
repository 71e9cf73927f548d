// What an assisted session may open. The operator's browser holds a real citizen session cookie, marked
// as assisted in its token (identity.service.ts ASSISTED_TOKEN_PREFIX), so this looks up only requests
// that carry such a cookie (onRequest, before any route; assets pass untouched): if the cookie is an assisted
// session's, only that one draft's pages (/{lang}/applications/{id}/...) pass; starting the same service
// goes back to the draft; another service, another application, the account, the e-box or anything else
// is refused with a stable code (and an audit entry). The session lives only with its operator: without
// the operator's own staff session in the same browser (signed out, deactivated, moved to another office
// or another role) it is closed and refused (COUNTER_OPERATOR_GONE), so the citizen cookie is no bearer
// token usable elsewhere. Staff pages never see the citizen cookie. A session
// that was submitted, ended or timed out opens nothing: its cookie is dropped (the confirmation goes to
// the operator's own session page).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { citizenCookie } from '../identity/citizen.guard.ts';
import { staffCookie } from '../identity/staff.guard.ts';
import { langOfPath } from '../../platform/http.ts';
import { CounterError } from './counter.errors.ts';
import type { CounterSessionRow } from './counter.repository.ts';
import { isAssistedToken, type CounterService } from './counter.service.ts';
import { refusalPage } from './pages/refusal.tsx';

const assisted = new WeakMap<FastifyRequest, CounterSessionRow>();
/** The assisted session whose cookie came with this request (for the staff pages, which never use it as a citizen). */
export const assistedOf = (req: FastifyRequest): CounterSessionRow | null => assisted.get(req) ?? null;

export function registerCounterScope(app: FastifyInstance, ctx: AppContext, counter: CounterService): void {
  const name = citizenCookie(ctx);
  const drop = (req: FastifyRequest, reply: FastifyReply) => {
    delete (req.cookies as Record<string, string | undefined>)[name];
    reply.clearCookie(name, { path: '/' });
  };

  const operatorPresent = async (s: CounterSessionRow, req: FastifyRequest): Promise<boolean> => {
    const found = await ctx.staff.session(req.cookies?.[staffCookie(ctx)]).catch(() => null);
    if (!found || found.staff.id !== s.operator_id || found.staff.role !== 'counter-operator') return false;
    const office = await counter.repo.officeOf(found.staff.id);
    return office?.id === s.office_id;
  };

  app.addHook('onRequest', async (req, reply) => {
    const token = req.cookies?.[name];
    // assets first, then only an assisted session's token (marked by identity, no query) is looked up:
    // an ordinary citizen's request costs nothing here
    if (!token || !isAssistedToken(token)) return;
    const url = req.url.split('?')[0];
    if (/^\/(assets\/|favicon\.ico$|robots\.txt$)/.test(url)) return;
    const s = await counter.scopeOf(token);
    if (!s) return;
    assisted.set(req, s);
    const lang = langOfPath(url) ?? 'fa';
    const sessionPage = `/${lang}/staff/counter/sessions/${s.id}`;
    const staffPath = url.startsWith(`/${lang}/staff/`) || url === `/${lang}/staff`;
    // a session that timed out is closed first, wherever the request goes (on staff pages silently, so
    // that it no longer blocks the operator's next session)
    if (s.status === 'active' && s.expires_at && new Date(s.expires_at).getTime() <= Date.now()) {
      await counter.close(s, 'ended', `staff:${s.operator_id}`);
      drop(req, reply);
      if (staffPath) {
        assisted.delete(req);
        return;
      }
      await counter.refused(s.operator_id, s.id, 'session-expired');
      return refusalPage(reply, lang, new CounterError('COUNTER_SESSION_EXPIRED', `/${lang}/staff/counter`));
    }
    // staff pages: the operator's own session decides; the citizen's cookie stays out of it
    if (staffPath) {
      delete (req.cookies as Record<string, string | undefined>)[name];
      return;
    }
    const own = s.application_id ? url.match(new RegExp(`^/${lang}/applications/${s.application_id}(/(.*))?$`)) : null;
    if (s.status !== 'active') {
      drop(req, reply);
      // the confirmation after the submission: the operator's page of this session says what was done
      if (s.status === 'submitted' && own && req.method === 'GET') return reply.redirect(sessionPage, 303);
      return;
    }
    // the session lives only with its operator: signed in, in this browser, still active, still a counter
    // operator of the session's office; otherwise it is closed and the citizen cookie opens nothing more
    if (!(await operatorPresent(s, req))) {
      await counter.close(s, 'ended', `staff:${s.operator_id}`);
      await counter.refused(s.operator_id, s.id, 'COUNTER_OPERATOR_GONE', { method: req.method });
      drop(req, reply);
      return refusalPage(reply, lang, new CounterError('COUNTER_OPERATOR_GONE', `/${lang}/staff/counter`));
    }
    if (own) return;
    if (/^\/(fa|en)\/session\/(warning|extend)$/.test(url)) return;
    const apply = url.match(/^\/(fa|en)\/services\/([^/]+)\/apply$/);
    let code: 'COUNTER_OTHER_SERVICE' | 'COUNTER_OTHER_APPLICATION' | 'COUNTER_OUT_OF_SCOPE' = 'COUNTER_OUT_OF_SCOPE';
    if (apply && req.method === 'POST') {
      const service = await ctx.catalog.getService(decodeURIComponent(apply[2])).catch(() => null);
      if (service?.id === s.service_id) return reply.redirect(`/${lang}/applications/${s.application_id}`, 303);
      code = 'COUNTER_OTHER_SERVICE';
    } else if (/^\/(fa|en)\/applications\/[^/]+/.test(url)) code = 'COUNTER_OTHER_APPLICATION';
    else if (!/^\/(fa|en)\/(applications|ebox|account|sign-out|services\/[^/]+\/apply)(\/|$)/.test(url) && !url.startsWith('/oidc')) {
      // a public page (the catalogue, help): served as to anyone, without the citizen's session
      delete (req.cookies as Record<string, string | undefined>)[name];
      return;
    }
    await counter.refused(s.operator_id, s.id, code, { method: req.method });
    return refusalPage(reply, lang, new CounterError(code, `/${lang}/applications/${s.application_id}`));
  });
}
