// What prefill shows on question pages: the outcome of the citizen's answer, prefilled values that cannot
// be changed, and the field marked as prefilled.
import { tr, type Lang } from '../../../platform/i18n.ts';
import { pick, REGISTRY_SOURCES, type FormField, type RegistrySource } from '../forms.ts';
import type { PrefillRow } from '../prefill.counts.ts';
import { showAnswer } from './fields.tsx';

/** What came of the citizen's answer, above the question page's fields. */
export function PrefillNotice({
  lang,
  rows,
  filledHere,
  retry,
}: {
  lang: Lang;
  rows: PrefillRow[];
  filledHere: FormField[];
  retry: (source: string) => string;
}) {
  return (
    <>
      {rows.map((r) => {
        const spec = REGISTRY_SOURCES[r.source as RegistrySource];
        if (!spec || r.decision === 'declined') {
          return spec ? (
            <p>
              <a href={retry(r.source)}>
                {tr(lang, `گرفتن این پاسخ‌ها از ${spec.provider.fa}`, `Fetch these answers from the ${spec.provider.en} instead`)}
              </a>
            </p>
          ) : null;
        }
        if (r.outcome === 'filled')
          return filledHere.length ? (
            <div class="inset" role="status">
              <p>
                {tr(
                  lang,
                  `این پاسخ‌ها از ${spec.provider.fa} گرفته شد: ${filledHere.map((f) => pick(f.label, 'fa')).join('، ')}. آن‌ها را بررسی کنید.`,
                  `These answers came from the ${spec.provider.en}: ${filledHere.map((f) => pick(f.label, 'en')).join(', ')}. Check them.`,
                )}
              </p>
            </div>
          ) : null;
        return (
          <div class="notice" role="status">
            <p>
              {r.outcome === 'not-found'
                ? tr(
                    lang,
                    `${spec.provider.fa} پرونده‌ای با کد ملی شما ندارد. لطفاً پاسخ‌ها را خودتان بنویسید.`,
                    `The ${spec.provider.en} has no record for your national ID. Please type your answers.`,
                  )
                : tr(
                    lang,
                    `اکنون نتوانستیم به ${spec.provider.fa} دسترسی پیدا کنیم. لطفاً پاسخ‌ها را خودتان بنویسید؛ چیزی از آنچه تا حالا نوشته‌اید از دست نرفته است.`,
                    `We could not reach the ${spec.provider.en} just now. Please type your answers; nothing you have entered so far is lost.`,
                  )}
            </p>
            {r.outcome === 'unavailable' ? (
              <p>
                <a href={retry(r.source)}>{tr(lang, 'دوباره امتحان کنید', 'Try fetching them again')}</a>
              </p>
            ) : null}
          </div>
        );
      })}
    </>
  );
}

/** A value from a registry that the form does not let the citizen change here. */
export function LockedField({
  f,
  value,
  lang,
  heading,
  source,
}: {
  f: FormField;
  value: unknown;
  lang: Lang;
  heading: boolean;
  source: RegistrySource;
}) {
  const provider = REGISTRY_SOURCES[source].provider;
  return (
    <div class="field" id={f.name}>
      {heading ? <h1 class="label-heading">{pick(f.label, lang)}</h1> : <p class="label">{pick(f.label, lang)}</p>}
      <p class="locked-value">
        <strong>{showAnswer(f, value, lang)}</strong>
      </p>
      <p class="hint">
        {tr(
          lang,
          `از ${provider.fa} گرفته شده است و اینجا تغییر نمی‌کند. اگر نادرست است، با ${provider.fa} تماس بگیرید.`,
          `From the ${provider.en}; it cannot be changed here. If it is wrong, contact the ${provider.en}.`,
        )}
      </p>
    </div>
  );
}

/** The field as shown on its question page when its value came from a registry (and may be changed). */
export function markPrefilled(f: FormField, source: RegistrySource): FormField {
  const p = REGISTRY_SOURCES[source].provider;
  const note = { fa: `از ${p.fa} گرفته شده است؛ اگر نادرست است آن را تغییر دهید.`, en: `From the ${p.en}; change it if it is wrong.` };
  return { ...f, hint: f.hint ? { fa: `${f.hint.fa}. ${note.fa}`, en: `${f.hint.en}. ${note.en}` } : note };
}
