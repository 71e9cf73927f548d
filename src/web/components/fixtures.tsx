// Examples of every shared component (normal, with a hint, with an error), in the page's language:
// the reference for page authors and the input of test/components.browser.test.ts, which renders them in
// Chromium in Persian and English and checks them with axe (WCAG 2.2 AA).
import type { VNode } from 'preact';
import { catalogue, type Lang } from '../../platform/i18n.ts';
import { Layout } from '../layout.tsx';
import { SummaryList, Table } from './data.tsx';
import { ErrorSummary, Inset, Panel, Tag } from './feedback.tsx';
import {
  Button,
  ButtonGroup,
  Checkboxes,
  choiceId,
  dateAnchor,
  CsrfField,
  DateInput,
  FileUpload,
  Radios,
  Select,
  Textarea,
  TextField,
} from './form.tsx';
import { BackLink, Breadcrumbs, Pagination } from './navigation.tsx';
import { Ltr } from './text.tsx';

const words = catalogue({
  title: { fa: 'نمونه اجزای صفحه', en: 'Component examples' },
  fullName: { fa: 'نام و نام خانوادگی', en: 'Full name' },
  nationalId: { fa: 'کد ملی', en: 'National ID' },
  nationalIdHint: { fa: 'کد ملی ۱۰ رقمی روی کارت ملی شما', en: 'The 10-digit number on your national ID card' },
  nationalIdError: { fa: 'کد ملی ۱۰ رقمی خود را وارد کنید', en: 'Enter your 10-digit national ID' },
  details: { fa: 'شرح درخواست', en: 'What you are asking for' },
  detailsHint: { fa: 'حداکثر ۲۰۰۰ نویسه', en: 'Up to 2,000 characters' },
  detailsError: { fa: 'شرح درخواست را بنویسید', en: 'Say what you are asking for' },
  province: { fa: 'استان', en: 'Province' },
  provinceError: { fa: 'استان خود را انتخاب کنید', en: 'Choose your province' },
  tehran: { fa: 'تهران', en: 'Tehran' },
  isfahan: { fa: 'اصفهان', en: 'Isfahan' },
  contact: { fa: 'از چه راهی با شما تماس بگیریم؟', en: 'How should we contact you?' },
  contactHint: { fa: 'یک گزینه را انتخاب کنید', en: 'Choose one' },
  contactError: { fa: 'راه تماس را انتخاب کنید', en: 'Choose how we should contact you' },
  sms: { fa: 'پیامک', en: 'Text message' },
  ebox: { fa: 'کارپوشه', en: 'E-box' },
  eboxHint: { fa: 'پیام‌ها را پس از ورود می‌بینید', en: 'You read messages after signing in' },
  documents: { fa: 'کدام مدارک را دارید؟', en: 'Which documents do you have?' },
  documentsHint: { fa: 'همه موارد درست را انتخاب کنید', en: 'Select all that apply' },
  documentsError: { fa: 'دست‌کم یک مدرک را انتخاب کنید', en: 'Select at least one document' },
  birthCert: { fa: 'شناسنامه', en: 'Birth certificate' },
  idCard: { fa: 'کارت ملی', en: 'National ID card' },
  birthDate: { fa: 'تاریخ تولد', en: 'Date of birth' },
  birthDateError: { fa: 'تاریخ تولد باید یک تاریخ واقعی باشد', en: 'Date of birth must be a real date' },
  upload: { fa: 'تصویر مدرک', en: 'Copy of the document' },
  uploadHint: { fa: 'پرونده PDF یا JPG، حداکثر ۵ مگابایت', en: 'A PDF or JPG file, up to 5 MB' },
  uploadError: { fa: 'پرونده باید کوچک‌تر از ۵ مگابایت باشد', en: 'The file must be smaller than 5 MB' },
  continue: { fa: 'ادامه', en: 'Continue' },
  saveDraft: { fa: 'ذخیره پیش‌نویس', en: 'Save as draft' },
  withdraw: { fa: 'انصراف از درخواست', en: 'Withdraw the application' },
  startNow: { fa: 'شروع', en: 'Start now' },
  applications: { fa: 'درخواست‌های من', en: 'Your applications' },
  submitted: { fa: 'درخواست ثبت شد', en: 'Application submitted' },
  reference: { fa: 'کد رهگیری شما', en: 'Your reference number' },
  status: { fa: 'وضعیت', en: 'Status' },
  received: { fa: 'دریافت شد', en: 'Received' },
  overdue: { fa: 'دیرکرد', en: 'Overdue' },
  approved: { fa: 'پذیرفته شد', en: 'Approved' },
  service: { fa: 'خدمت', en: 'Service' },
  passport: { fa: 'صدور گذرنامه', en: 'Passport issue' },
  change: { fa: 'تغییر', en: 'Change' },
  changeService: { fa: 'تغییر خدمت', en: 'Change service' },
  tableCaption: { fa: 'درخواست‌های این ماه', en: 'Applications this month' },
  count: { fa: 'تعداد', en: 'Count' },
  inset: { fa: 'پاسخ دستگاه در کارپوشه شما قرار می‌گیرد.', en: 'The agency answers in your e-box.' },
  resultsPages: { fa: 'صفحه‌های نتایج', en: 'Pages of results' },
});

/** Every component with its variants, in the order the fixtures page shows them. */
export function componentExamples(lang: Lang): { name: string; node: VNode }[] {
  const m = words(lang);
  const provinces = [
    { value: 'tehran', label: m('tehran') },
    { value: 'isfahan', label: m('isfahan') },
  ];
  const contact = [
    { value: 'sms', label: m('sms') },
    { value: 'ebox', label: m('ebox'), hint: m('eboxHint') },
  ];
  const docs = [
    { value: 'birth', label: m('birthCert') },
    { value: 'card', label: m('idCard') },
  ];
  return [
    {
      name: 'error summary',
      node: (
        <ErrorSummary
          lang={lang}
          errors={[
            { field: 'id-error', message: m('nationalIdError') },
            { field: choiceId('contact-error', 'sms'), message: m('contactError') },
            { field: dateAnchor('born-error'), message: m('birthDateError') },
          ]}
        />
      ),
    },
    { name: 'back link', node: <BackLink lang={lang} href={`/${lang}/applications`} /> },
    {
      name: 'breadcrumbs',
      node: <Breadcrumbs lang={lang} items={[{ href: `/${lang}/applications`, label: m('applications') }, { label: m('passport') }]} />,
    },
    { name: 'text input', node: <TextField lang={lang} id="name" label={m('fullName')} autocomplete="name" width="wide" /> },
    {
      name: 'text input with hint',
      node: <TextField lang={lang} id="id-hint" label={m('nationalId')} hint={m('nationalIdHint')} inputMode="numeric" dir="ltr" />,
    },
    {
      name: 'text input with error',
      node: (
        <TextField
          lang={lang}
          id="id-error"
          label={m('nationalId')}
          hint={m('nationalIdHint')}
          error={m('nationalIdError')}
          value="12345"
          dir="ltr"
        />
      ),
    },
    { name: 'textarea', node: <Textarea lang={lang} id="details" label={m('details')} hint={m('detailsHint')} maxLength={2000} /> },
    { name: 'textarea with error', node: <Textarea lang={lang} id="details-error" label={m('details')} error={m('detailsError')} /> },
    { name: 'select', node: <Select lang={lang} id="province" label={m('province')} options={provinces} value="tehran" /> },
    {
      name: 'select with error',
      node: <Select lang={lang} id="province-error" label={m('province')} options={provinces} error={m('provinceError')} optional />,
    },
    {
      name: 'radios',
      node: <Radios lang={lang} id="contact" label={m('contact')} hint={m('contactHint')} options={contact} value="sms" />,
    },
    {
      name: 'radios with error',
      node: <Radios lang={lang} id="contact-error" label={m('contact')} options={contact} error={m('contactError')} />,
    },
    {
      name: 'checkboxes',
      node: <Checkboxes lang={lang} id="docs" label={m('documents')} hint={m('documentsHint')} options={docs} values={['card']} />,
    },
    {
      name: 'checkboxes with error',
      node: <Checkboxes lang={lang} id="docs-error" label={m('documents')} options={docs} error={m('documentsError')} />,
    },
    {
      name: 'date',
      node: (
        <DateInput lang={lang} id="born" label={m('birthDate')} value={{ day: '27', month: '3', year: lang === 'fa' ? '1370' : '1991' }} />
      ),
    },
    {
      name: 'date with error',
      node: <DateInput lang={lang} id="born-error" label={m('birthDate')} error={m('birthDateError')} value={{ day: '31', month: '13' }} />,
    },
    { name: 'file', node: <FileUpload lang={lang} id="upload" label={m('upload')} hint={m('uploadHint')} accept=".pdf,.jpg" /> },
    {
      name: 'file with error',
      node: <FileUpload lang={lang} id="upload-error" label={m('upload')} hint={m('uploadHint')} error={m('uploadError')} />,
    },
    {
      name: 'buttons and CSRF field',
      node: (
        <form method="post" action={`/${lang}/applications`}>
          <CsrfField token="example-token" />
          <ButtonGroup>
            <Button>{m('continue')}</Button>
            <Button variant="secondary" name="action" value="draft">
              {m('saveDraft')}
            </Button>
            <Button variant="warning" name="action" value="withdraw">
              {m('withdraw')}
            </Button>
            <Button variant="start" href={`/${lang}/applications`}>
              {m('startNow')}
            </Button>
          </ButtonGroup>
        </form>
      ),
    },
    {
      name: 'panel',
      node: (
        <Panel title={m('submitted')} level={2}>
          {m('reference')}
          <br />
          <strong class="reference">
            <Ltr>HDJ-4K7P-2M</Ltr>
          </strong>
        </Panel>
      ),
    },
    {
      name: 'tags',
      node: (
        <p>
          <Tag tone="blue">{m('received')}</Tag> <Tag tone="red">{m('overdue')}</Tag> <Tag tone="green">{m('approved')}</Tag>
        </p>
      ),
    },
    { name: 'inset', node: <Inset>{m('inset')}</Inset> },
    {
      name: 'summary list',
      node: (
        <SummaryList
          rows={[
            { key: m('service'), value: m('passport'), action: { href: `/${lang}/applications`, label: m('changeService') } },
            { key: m('status'), value: <Tag tone="blue">{m('received')}</Tag> },
          ]}
        />
      ),
    },
    {
      name: 'table',
      node: (
        <Table
          caption={m('tableCaption')}
          head={[m('service'), m('count')]}
          rows={[
            [m('passport'), lang === 'fa' ? '۱۲۰' : '120'],
            [m('idCard'), lang === 'fa' ? '۴۵' : '45'],
          ]}
          rowHeaders
          numeric={[1]}
        />
      ),
    },
    {
      name: 'pagination',
      node: <Pagination lang={lang} page={4} pages={9} label={m('resultsPages')} href={(n) => `/${lang}/search?page=${n}`} />,
    },
  ];
}

/** The fixtures as one page in the site's frame (used by the browser test; not routed in the app). */
export function ComponentFixturesPage({ lang }: { lang: Lang }) {
  const m = words(lang);
  return (
    <Layout lang={lang} title={m('title')} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/components`}>
      <h1>{m('title')}</h1>
      {componentExamples(lang).map((e) => (
        <section class="component-example" data-component={e.name}>
          {e.node}
        </section>
      ))}
    </Layout>
  );
}
