// Small form pieces of the counter pages (the shared TextInput, plus a select with its error).
import { tr, type Lang } from '../../../platform/i18n.ts';

export function Select(p: {
  lang: Lang;
  id: string;
  label: string;
  value?: string;
  error?: string;
  options: { value: string; label: string }[];
}) {
  return (
    <div class="field">
      <label class="label" for={p.id}>
        {p.label}
      </label>
      {p.error ? (
        <p class="error-message" id={`${p.id}-error`}>
          <span class="visually-hidden">{tr(p.lang, 'خطا:', 'Error:')}</span> {p.error}
        </p>
      ) : null}
      <select class="input input-wide" id={p.id} name={p.id} aria-describedby={p.error ? `${p.id}-error` : undefined}>
        <option value="">{tr(p.lang, 'انتخاب کنید', 'Choose')}</option>
        {p.options.map((o) => (
          <option value={o.value} selected={p.value === o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
