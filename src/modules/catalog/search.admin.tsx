// Staff pages for search: the dictionary editors maintain (/{lang}/staff/search/dictionary) and what
// people search for (/{lang}/staff/search/queries). Who may: the identity policy's 'catalog.dictionary'
// (service editors, agency administrators, platform administrators). Every change is audited with
// before and after in the change's transaction.
import type { FastifyInstance } from 'fastify';
import { formatNumber, langOf, tr, type Lang } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { ErrorSummary, type FieldError } from '../../web/components.tsx';
import { DataTable } from '../../web/charts.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { makeGuards, staffOf } from '../identity/guards.ts';
import type { SynonymRow, QueryCount } from './search.repository.ts';
import { EXPANSION_MAX, EXPANSIONS_MAX, TERM_MAX, type EntryInput, type EntryProblem } from './search.service.ts';

const LABELS = {
  term: ['واژه‌ای که مردم جست‌وجو می‌کنند', 'Word people search for'],
  expansions: ['واژه‌هایی که به جای آن هم جست‌وجو شود (هر کدام در یک سطر)', 'Also search for (one per line)'],
} as const;

export function problemMessage(lang: Lang, p: EntryProblem): string {
  const m: Record<string, [string, string]> = {
    'term:empty': ['واژه را بنویسید', 'Enter the word people search for'],
    'term:too-long': [`واژه باید حداکثر ${formatNumber('fa', TERM_MAX)} نویسه باشد`, `The word must be ${TERM_MAX} characters or fewer`],
    'term:duplicate': ['این واژه در واژه‌نامه هست؛ همان را ویرایش کنید', 'This word is already in the dictionary; edit that entry instead'],
    'expansions:empty': ['دست‌کم یک واژه برای جست‌وجو بنویسید', 'Enter at least one word to also search for'],
    'expansions:too-long': [
      `هر واژه باید حداکثر ${formatNumber('fa', EXPANSION_MAX)} نویسه باشد`,
      `Each word to also search for must be ${EXPANSION_MAX} characters or fewer`,
    ],
    'expansions:too-many': [
      `حداکثر ${formatNumber('fa', EXPANSIONS_MAX)} واژه بنویسید`,
      `Enter ${EXPANSIONS_MAX} words to also search for or fewer`,
    ],
    'expansions:same-as-term': [
      'واژه‌های جایگزین نباید همان واژهٔ اصلی باشند',
      'The words to also search for must differ from the word people search for',
    ],
  };
  const [fa, en] = m[`${p.field}:${p.code}`] ?? ['مقدار درست نیست', 'Check this value'];
  return tr(lang, fa, en);
}

function EntryForm({
  lang,
  action,
  token,
  value,
  errors,
  submit,
}: {
  lang: Lang;
  action: string;
  token: string;
  value: EntryInput;
  errors: FieldError[];
  submit: string;
}) {
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  return (
    <form method="post" action={action} novalidate>
      <input type="hidden" name="_csrf" value={token} />
      {(['term', 'expansions'] as const).map((f) => (
        <div class={err(f) ? 'field field-error' : 'field'}>
          <label class="label" for={f}>
            {tr(lang, LABELS[f][0], LABELS[f][1])}
          </label>
          {err(f) ? (
            <p class="error-message" id={`${f}-error`}>
              <span class="visually-hidden">{tr(lang, 'خطا: ', 'Error: ')}</span>
              {err(f)}
            </p>
          ) : null}
          {f === 'term' ? (
            <input class="input" id={f} name={f} value={value.term} aria-describedby={err(f) ? `${f}-error` : undefined} />
          ) : (
            <textarea class="input input-wide textarea" id={f} name={f} rows={4} aria-describedby={err(f) ? `${f}-error` : undefined}>
              {value.expansions}
            </textarea>
          )}
        </div>
      ))}
      <button class="button" type="submit">
        {submit}
      </button>
    </form>
  );
}

export function registerSearchAdminPages(app: FastifyInstance, ctx: AppContext): void {
  const guards = makeGuards(ctx);
  // counts not yet written reach the table before the database closes (the app closes first)
  app.addHook('onClose', async () => ctx.catalog.searchLog.flush().catch(() => {}));
  const hide = { schema: { hide: true } };
  const read = { ...hide, preHandler: guards.staff('catalog.dictionary') };
  const write = { ...hide, preHandler: [app.csrfProtection, guards.staff('catalog.dictionary')] };
  const base = (lang: Lang) => `/${lang}/staff/search/dictionary`;
  const other = (lang: Lang) => (lang === 'fa' ? 'en' : 'fa');

  const listPage = async (lang: Lang, token: string, o: { value?: EntryInput; errors?: FieldError[]; done?: string } = {}) => {
    const entries: SynonymRow[] = await ctx.catalog.dictionary.entries();
    const title = tr(lang, 'واژه‌نامهٔ جست‌وجو', 'Search dictionary');
    const errors = o.errors ?? [];
    return (
      <Layout lang={lang} title={title} altPath={`/${other(lang)}/staff/search/dictionary`} hasError={errors.length > 0}>
        <ErrorSummary lang={lang} errors={errors} />
        {o.done ? (
          <div class="notice" role="status">
            <p>{o.done}</p>
          </div>
        ) : null}
        <h1>{title}</h1>
        <p>
          {tr(
            lang,
            'جست‌وجوی کاتالوگ هر واژهٔ این فهرست را با واژه‌های جایگزینش هم جست‌وجو می‌کند (برای نمونه «پاسپورت» با «گذرنامه»). تغییرها در کمتر از یک دقیقه در همهٔ جست‌وجوها دیده می‌شوند.',
            'Catalogue search also searches for the alternatives of each word listed here (for example "پاسپورت" also finds "گذرنامه"). Changes reach every search within a minute.',
          )}
        </p>
        <p>
          <a href={`/${lang}/staff/search/queries`}>{tr(lang, 'آنچه مردم جست‌وجو می‌کنند', 'What people search for')}</a>
        </p>
        <h2>{tr(lang, 'افزودن واژه', 'Add a word')}</h2>
        <EntryForm
          lang={lang}
          action={base(lang)}
          token={token}
          value={o.value ?? { term: '', expansions: '' }}
          errors={errors}
          submit={tr(lang, 'افزودن', 'Add')}
        />
        <DataTable
          caption={tr(lang, `واژه‌ها (${formatNumber(lang, entries.length)})`, `Words (${entries.length})`)}
          head={[tr(lang, 'واژه', 'Word'), tr(lang, 'جست‌وجوی جایگزین', 'Also searched for'), tr(lang, 'کار', 'Action')]}
          rows={entries.map((e) => [
            <span lang="fa" dir="rtl">
              {e.term}
            </span>,
            <span lang="fa" dir="rtl">
              {e.expansions.join('، ')}
            </span>,
            <a href={`${base(lang)}/${e.id}`}>
              {tr(lang, 'ویرایش یا حذف', 'Edit or delete')}
              <span class="visually-hidden"> {e.term}</span>
            </a>,
          ])}
        />
      </Layout>
    );
  };

  const editPage = (lang: Lang, token: string, row: SynonymRow, value: EntryInput, errors: FieldError[] = []) => {
    const title = tr(lang, `ویرایش «${row.term}»`, `Edit "${row.term}"`);
    const action = `${base(lang)}/${row.id}`;
    return (
      <Layout lang={lang} title={title} altPath={`${base(other(lang))}/${row.id}`} hasError={errors.length > 0}>
        <a class="back-link" href={base(lang)}>
          {tr(lang, 'بازگشت به واژه‌نامه', 'Back to the dictionary')}
        </a>
        <ErrorSummary lang={lang} errors={errors} />
        <h1>{title}</h1>
        <EntryForm lang={lang} action={action} token={token} value={value} errors={errors} submit={tr(lang, 'ذخیره', 'Save')} />
        <h2>{tr(lang, 'حذف', 'Delete')}</h2>
        <form method="post" action={`${action}/delete`}>
          <input type="hidden" name="_csrf" value={token} />
          <button class="button button-warning" type="submit">
            {tr(lang, `حذف «${row.term}» از واژه‌نامه`, `Delete "${row.term}" from the dictionary`)}
          </button>
        </form>
      </Layout>
    );
  };

  const fieldErrors = (lang: Lang, problems: EntryProblem[]): FieldError[] =>
    problems.map((p) => ({ field: p.field, message: problemMessage(lang, p) }));
  const inputOf = (b: unknown): EntryInput => {
    const o = (b ?? {}) as Record<string, unknown>;
    return { term: String(o.term ?? '').slice(0, 2000), expansions: String(o.expansions ?? '').slice(0, 5000) };
  };
  const DONE: Record<string, [string, string]> = {
    added: ['واژه افزوده شد.', 'The word is added.'],
    saved: ['تغییرها ذخیره شد.', 'The changes are saved.'],
    deleted: ['واژه حذف شد.', 'The word is deleted.'],
  };

  app.get<{ Params: { lang: string }; Querystring: { done?: string; term?: string } }>(
    '/:lang/staff/search/dictionary',
    read,
    async (req, reply) => {
      const lang = langOf(req.params);
      const done = DONE[String(req.query.done)];
      const value = { term: String(req.query.term ?? '').slice(0, 200), expansions: '' };
      return sendPage(reply, await listPage(lang, reply.generateCsrf(), { done: done && tr(lang, ...done), value }));
    },
  );

  app.post<{ Params: { lang: string } }>('/:lang/staff/search/dictionary', write, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = staffOf(req);
    const value = inputOf(req.body);
    const r = await ctx.catalog.dictionary.save(null, value, `staff:${staff.id}`, (tx, c) =>
      ctx.audit.record(
        { actor: `staff:${staff.id}`, action: 'search.dictionary-added', subject: c.id, detail: { before: null, after: c.after } },
        tx,
      ),
    );
    if (!r.ok) return sendPage(reply, await listPage(lang, reply.generateCsrf(), { value, errors: fieldErrors(lang, r.problems) }), 400);
    return reply.redirect(`${base(lang)}?done=added`, 303);
  });

  app.get<{ Params: { lang: string; id: string } }>('/:lang/staff/search/dictionary/:id', read, async (req, reply) => {
    const lang = langOf(req.params);
    const row = await ctx.catalog.dictionary.entry(req.params.id);
    return sendPage(reply, editPage(lang, reply.generateCsrf(), row, { term: row.term, expansions: row.expansions.join('\n') }));
  });

  app.post<{ Params: { lang: string; id: string } }>('/:lang/staff/search/dictionary/:id', write, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = staffOf(req);
    const row = await ctx.catalog.dictionary.entry(req.params.id);
    const value = inputOf(req.body);
    const r = await ctx.catalog.dictionary.save(row.id, value, `staff:${staff.id}`, (tx, c) =>
      ctx.audit.record(
        { actor: `staff:${staff.id}`, action: 'search.dictionary-changed', subject: c.id, detail: { before: c.before, after: c.after } },
        tx,
      ),
    );
    if (!r.ok) return sendPage(reply, editPage(lang, reply.generateCsrf(), row, value, fieldErrors(lang, r.problems)), 400);
    return reply.redirect(`${base(lang)}?done=saved`, 303);
  });

  app.post<{ Params: { lang: string; id: string } }>('/:lang/staff/search/dictionary/:id/delete', write, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = staffOf(req);
    await ctx.catalog.dictionary.remove(req.params.id, (tx, c) =>
      ctx.audit.record(
        { actor: `staff:${staff.id}`, action: 'search.dictionary-deleted', subject: c.id, detail: { before: c.before, after: null } },
        tx,
      ),
    );
    return reply.redirect(`${base(lang)}?done=deleted`, 303);
  });

  app.get<{ Params: { lang: string } }>('/:lang/staff/search/queries', read, async (req, reply) => {
    const lang = langOf(req.params);
    const { top, zero } = await ctx.catalog.searchLog.top(30);
    const title = tr(lang, 'آنچه مردم جست‌وجو می‌کنند', 'What people search for');
    const table = (caption: string, rows: QueryCount[], count: (r: QueryCount) => number) => (
      <DataTable
        caption={caption}
        head={[
          tr(lang, 'جست‌وجو', 'Search'),
          tr(lang, 'زبان صفحه', 'Page language'),
          tr(lang, 'تعداد', 'Count'),
          tr(lang, 'کار', 'Action'),
        ]}
        rows={rows.map((r) => [
          <span dir="auto">{r.query}</span>,
          r.lang === 'fa' ? tr(lang, 'فارسی', 'Persian') : tr(lang, 'انگلیسی', 'English'),
          formatNumber(lang, count(r)),
          <a href={`${base(lang)}?term=${encodeURIComponent(r.query)}#term`}>
            {tr(lang, 'افزودن به واژه‌نامه', 'Add to the dictionary')}
            <span class="visually-hidden"> {r.query}</span>
          </a>,
        ])}
      />
    );
    return sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={`/${other(lang)}/staff/search/queries`}>
        <h1>{title}</h1>
        <p>
          {tr(
            lang,
            'شمار جست‌وجوها در ۳۰ روز گذشته، بی‌نام: نه کاربر ثبت می‌شود و نه نشانی IP؛ جست‌وجویی که شبیه کد ملی، شمارهٔ همراه یا ایمیل باشد اصلا ثبت نمی‌شود.',
            'Searches in the last 30 days, counted anonymously: no user and no IP address is stored, and a search that looks like a national ID, a mobile number or an email is not stored at all.',
          )}
        </p>
        <p>
          <a href={base(lang)}>{tr(lang, 'واژه‌نامهٔ جست‌وجو', 'Search dictionary')}</a>
        </p>
        {table(tr(lang, 'جست‌وجوهای بی‌نتیجه', 'Searches that found nothing'), zero, (r) => r.zero_results)}
        {table(tr(lang, 'پرتکرارترین جست‌وجوها', 'Most frequent searches'), top, (r) => r.searches)}
      </Layout>,
    );
  });
}
