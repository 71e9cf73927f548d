// Staff page parts for webhooks: endpoints, the delivery log, the dead-letter list and one delivery's attempts.
import { formatDate, tr, type Lang } from '../../platform/i18n.ts';
import { SummaryList, Tag, TextInput } from '../../web/components.tsx';
import { DataTable } from '../../web/charts.tsx';
import { Layout } from '../../web/layout.tsx';
import { WEBHOOK_EVENTS } from './webhooks.events.ts';
import type { WebhookService } from './webhooks.service.ts';

type Endpoints = Awaited<ReturnType<WebhookService['endpoints']>>;
type Deliveries = Awaited<ReturnType<WebhookService['deliveries']>>;
type Delivery = Awaited<ReturnType<WebhookService['delivery']>>;

const time = (lang: Lang, d: Date | string | null) => (d ? `${formatDate(lang, d)} ${new Date(d).toISOString().slice(11, 19)} UTC` : '–');

export function statusTag(lang: Lang, s: 'pending' | 'delivered' | 'dead') {
  if (s === 'delivered') return <Tag tone="green">{tr(lang, 'رسید', 'Delivered')}</Tag>;
  if (s === 'dead') return <Tag tone="grey">{tr(lang, 'ناموفق (فهرست مردود)', 'Failed (dead letter)')}</Tag>;
  return <Tag tone="blue">{tr(lang, 'در صف', 'Pending')}</Tag>;
}

export function WebhookSections({
  lang,
  base,
  token,
  endpoints,
  recent,
  dead,
  urlError,
  eventsError,
}: {
  lang: Lang;
  base: string;
  token: string;
  endpoints: Endpoints;
  recent: Deliveries;
  dead: Deliveries;
  urlError?: string;
  eventsError?: string;
}) {
  const replay = (id: string) => (
    <form method="post" action={`${base}/webhooks/deliveries/${id}/replay`}>
      <input type="hidden" name="_csrf" value={token} />
      <button class="button button-secondary" type="submit">
        {tr(lang, 'ارسال دوباره', 'Send again')} <span class="visually-hidden">{id}</span>
      </button>
    </form>
  );
  const deliveryRows = (list: Deliveries, withReplay: boolean) =>
    list.map((d) => [
      <a href={`${base}/webhooks/deliveries/${d.id}`}>{d.event}</a>,
      <bdi>{d.url}</bdi>,
      statusTag(lang, d.status),
      String(d.attempts),
      d.last_status_code ? String(d.last_status_code) : (d.last_error ?? '–'),
      time(lang, d.created_at),
      withReplay || d.status !== 'pending' ? replay(d.id) : '–',
    ]);
  const head = [
    tr(lang, 'رویداد', 'Event'),
    tr(lang, 'نشانی', 'URL'),
    tr(lang, 'وضعیت', 'Status'),
    tr(lang, 'تلاش', 'Attempts'),
    tr(lang, 'آخرین پاسخ', 'Last response'),
    tr(lang, 'زمان', 'Created'),
    tr(lang, 'کار', 'Action'),
  ];
  return (
    <>
      <h2 id="webhooks">{tr(lang, 'وب‌هوک‌ها', 'Webhooks')}</h2>
      <DataTable
        caption={tr(lang, 'نشانی‌های ثبت‌شده', 'Registered endpoints')}
        head={[
          tr(lang, 'نشانی', 'URL'),
          tr(lang, 'رویدادها', 'Events'),
          tr(lang, 'ثبت', 'Created'),
          tr(lang, 'وضعیت', 'Status'),
          tr(lang, 'کار', 'Action'),
        ]}
        rows={endpoints.map((e) => [
          <bdi>{e.url}</bdi>,
          <bdi>{e.events.join(', ')}</bdi>,
          time(lang, e.created_at),
          e.disabled_at ? <Tag tone="grey">{tr(lang, 'غیرفعال', 'Disabled')}</Tag> : <Tag tone="green">{tr(lang, 'فعال', 'Active')}</Tag>,
          e.disabled_at ? (
            '–'
          ) : (
            <form method="post" action={`${base}/webhooks/${e.id}/disable`}>
              <input type="hidden" name="_csrf" value={token} />
              <button class="button button-secondary" type="submit">
                {tr(lang, 'غیرفعال کردن', 'Disable')} <span class="visually-hidden">{e.url}</span>
              </button>
            </form>
          ),
        ])}
      />
      <h3>{tr(lang, 'ثبت نشانی تازه', 'Register an endpoint')}</h3>
      <form method="post" action={`${base}/webhooks`} novalidate>
        <input type="hidden" name="_csrf" value={token} />
        <TextInput width="wide" id="url" label={tr(lang, 'نشانی (https)', 'URL (https)')} error={urlError} />
        <fieldset class="plain-fieldset" id="events" aria-describedby={eventsError ? 'events-error' : undefined}>
          <legend class="label">{tr(lang, 'رویدادها', 'Events')}</legend>
          {eventsError ? (
            <p class="error-message" id="events-error">
              {eventsError}
            </p>
          ) : null}
          {WEBHOOK_EVENTS.map((ev) => (
            <div class="checkbox">
              <input type="checkbox" id={`event-${ev}`} name="events" value={ev} />
              <label for={`event-${ev}`} lang="en" dir="ltr">
                {ev}
              </label>
            </div>
          ))}
        </fieldset>
        <button class="button" type="submit">
          {tr(lang, 'ثبت نشانی', 'Register endpoint')}
        </button>
      </form>
      <h3>{tr(lang, 'فهرست مردود', 'Dead letters')}</h3>
      <p>
        {tr(
          lang,
          'ارسال‌هایی که پس از همه تلاش‌ها نرسیدند. پس از رفع مشکل گیرنده، دوباره بفرستید.',
          'Deliveries that failed every attempt. Fix the receiver, then send them again.',
        )}
      </p>
      <DataTable caption={tr(lang, 'ارسال‌های ناموفق', 'Failed deliveries')} head={head} rows={deliveryRows(dead, true)} />
      <h3>{tr(lang, 'گزارش ارسال', 'Delivery log')}</h3>
      <DataTable caption={tr(lang, '۳۰ ارسال تازه', 'The 30 newest deliveries')} head={head} rows={deliveryRows(recent, false)} />
    </>
  );
}

export function DeliveryPage({ lang, base, token, d }: { lang: Lang; base: string; token: string; d: Delivery }) {
  const x = d.delivery;
  return (
    <Layout
      lang={lang}
      title={tr(lang, 'ارسال وب‌هوک', 'Webhook delivery')}
      altPath={`${base.replace(/^\/(fa|en)/, lang === 'fa' ? '/en' : '/fa')}/webhooks/deliveries/${x.id}`}
    >
      <p>
        <a class="back-link" href={`${base}/integrations#webhooks`}>
          {tr(lang, 'بازگشت', 'Back')}
        </a>
      </p>
      <h1>{tr(lang, 'ارسال وب‌هوک', 'Webhook delivery')}</h1>
      <SummaryList
        rows={[
          { key: 'Panjereh-Delivery', value: <code>{x.id}</code> },
          { key: tr(lang, 'رویداد', 'Event'), value: <bdi>{x.event}</bdi> },
          { key: tr(lang, 'وضعیت', 'Status'), value: statusTag(lang, x.status) },
          { key: tr(lang, 'تلاش بعدی', 'Next attempt'), value: x.status === 'pending' ? time(lang, x.next_attempt_at) : '–' },
          {
            key: tr(lang, 'داده', 'Payload'),
            value: (
              <pre dir="ltr" lang="en">
                {JSON.stringify(x.payload, null, 2)}
              </pre>
            ),
          },
        ]}
      />
      <DataTable
        caption={tr(lang, 'تلاش‌ها', 'Attempts')}
        head={[
          '#',
          tr(lang, 'زمان', 'Time'),
          tr(lang, 'کد پاسخ', 'Status code'),
          tr(lang, 'مدت (ms)', 'Duration (ms)'),
          tr(lang, 'خطا', 'Error'),
          tr(lang, 'پاسخ (کوتاه‌شده)', 'Response (truncated)'),
        ]}
        rows={d.attempts.map((a) => [
          String(a.attempt),
          time(lang, a.at),
          a.status_code ? String(a.status_code) : '–',
          String(a.duration_ms),
          a.error ?? '–',
          <bdi>{a.response_excerpt ?? '–'}</bdi>,
        ])}
      />
      {x.status !== 'pending' ? (
        <form method="post" action={`${base}/webhooks/deliveries/${x.id}/replay`}>
          <input type="hidden" name="_csrf" value={token} />
          <button class="button" type="submit">
            {tr(lang, 'ارسال دوباره', 'Send again')}
          </button>
        </form>
      ) : null}
    </Layout>
  );
}
