// Form components in the GOV.UK Design System pattern: a label (or a fieldset's legend), an optional
// hint, an error message, all linked to the control with aria-describedby. Every control posts under
// `name` (defaults to `id`); the error summary links to `#id`. Words come from the caller (typed
// catalogues); the components add only their own (error prefix, date part names, "optional").
import type { ComponentChildren } from 'preact';
import type { Lang } from '../../platform/i18n.ts';
import { ErrorMessage } from './feedback.tsx';
import { componentWords } from './words.ts';

interface FieldBase {
  lang: Lang;
  id: string;
  /** The posted name; defaults to id. */
  name?: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string;
  /** Adds "(optional)" to the label (never an asterisk on the others). */
  optional?: boolean;
  /** The page asks only this: the label or legend is the page's h1. */
  heading?: boolean;
}

const describedBy = (id: string, hint: unknown, error: unknown, extra?: string) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : '', extra ?? ''].filter(Boolean).join(' ') || undefined;

function LabelText({ lang, label, optional }: Pick<FieldBase, 'lang' | 'label' | 'optional'>) {
  return (
    <>
      {label}
      {optional ? ` ${componentWords(lang)('optional')}` : ''}
    </>
  );
}

function Label({ forId, heading, ...rest }: Pick<FieldBase, 'lang' | 'label' | 'optional' | 'heading'> & { forId: string }) {
  const label = (
    <label class={`label${heading ? ' label-large' : ''}`} for={forId}>
      <LabelText {...rest} />
    </label>
  );
  return heading ? <h1 class="label-heading">{label}</h1> : label;
}

export function Hint({ id, children }: { id: string; children?: ComponentChildren }) {
  return children ? (
    <p class="hint" id={`${id}-hint`}>
      {children}
    </p>
  ) : null;
}

/** A field's frame: label, hint, error, then the control. */
function Field(props: FieldBase & { children: ComponentChildren }) {
  const { id, hint, error, lang, children } = props;
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <Label forId={id} lang={lang} label={props.label} optional={props.optional} heading={props.heading} />
      <Hint id={id}>{hint}</Hint>
      <ErrorMessage id={id} lang={lang} message={error} />
      {children}
    </div>
  );
}

/** A group of controls with one question: fieldset and legend, hint and error linked to the fieldset. */
export function Fieldset(props: FieldBase & { children: ComponentChildren; describedBy?: string }) {
  const { id, hint, error, lang, heading, children } = props;
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <fieldset class="plain-fieldset" aria-describedby={describedBy(id, hint, error, props.describedBy)}>
        <legend class={heading ? 'legend-heading' : 'label'}>
          {heading ? (
            <h1>
              <LabelText lang={lang} label={props.label} optional={props.optional} />
            </h1>
          ) : (
            <LabelText lang={lang} label={props.label} optional={props.optional} />
          )}
        </legend>
        <Hint id={id}>{hint}</Hint>
        <ErrorMessage id={id} lang={lang} message={error} />
        {children}
      </fieldset>
    </div>
  );
}

export type InputWidth = '2' | '4' | 'narrow' | 'medium' | 'wide';

/** A one-line text input. Codes, numbers, emails and mobiles are typed left to right (dir="ltr"). */
export function TextField(
  props: FieldBase & {
    value?: string;
    type?: 'text' | 'email' | 'tel' | 'password' | 'search' | 'url';
    autocomplete?: string;
    inputMode?: 'text' | 'numeric' | 'decimal' | 'tel' | 'email' | 'url';
    width?: InputWidth;
    dir?: 'ltr' | 'rtl' | 'auto';
    maxLength?: number;
    spellcheck?: boolean;
    /** Marked invalid without a message of its own (a part of a group whose error is on the group). */
    invalid?: boolean;
  },
) {
  const { id, name = id, value, type = 'text', width = 'medium', error, hint } = props;
  const invalid = !!error || props.invalid;
  return (
    <Field {...props}>
      <input
        class={`input input-${width}${invalid ? ' input-error' : ''}`}
        id={id}
        name={name}
        type={type}
        value={type === 'password' ? undefined : value}
        autocomplete={props.autocomplete}
        inputMode={props.inputMode}
        maxLength={props.maxLength}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={invalid ? 'true' : undefined}
        dir={props.dir}
        spellcheck={props.spellcheck}
      />
    </Field>
  );
}

/** A multi-line text box. */
export function Textarea(props: FieldBase & { value?: string; rows?: number; maxLength?: number; autocomplete?: string }) {
  const { id, name = id, value, rows = 5, error, hint } = props;
  return (
    <Field {...props}>
      <textarea
        class={`input textarea input-wide${error ? ' input-error' : ''}`}
        id={id}
        name={name}
        rows={rows}
        maxLength={props.maxLength}
        autocomplete={props.autocomplete}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? 'true' : undefined}
      >
        {value ?? ''}
      </textarea>
    </Field>
  );
}

export interface Choice {
  value: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
}

/** A drop-down list; an empty first option ("Choose") unless `noEmpty`. */
export function Select(props: FieldBase & { options: Choice[]; value?: string; noEmpty?: boolean; width?: InputWidth }) {
  const { id, name = id, options, value, error, hint, lang, width = 'medium' } = props;
  return (
    <Field {...props}>
      <select
        class={`input input-${width}${error ? ' input-error' : ''}`}
        id={id}
        name={name}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? 'true' : undefined}
      >
        {props.noEmpty ? null : <option value="">{componentWords(lang)('choose')}</option>}
        {options.map((o) => (
          <option value={o.value} selected={value === o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/**
 * The id of one radio or checkbox: `${group}-${value}`. An error summary links to the first option's
 * (GOV.UK: the link lands on a control, not on the fieldset).
 */
export const choiceId = (group: string, value: string) => `${group}-${value}`;

/** The id of a date's day input (`${id}-day`), where an error summary's link for the date lands. */
export const dateAnchor = (id: string) => `${id}-day`;

function Choices({
  type,
  id,
  name,
  options,
  chosen,
}: {
  type: 'radio' | 'checkbox';
  id: string;
  name: string;
  options: Choice[];
  chosen: string[];
}) {
  return (
    <>
      {options.map((o) => {
        const cid = choiceId(id, o.value);
        return (
          <div class="checkbox">
            <input
              type={type}
              id={cid}
              name={name}
              value={o.value}
              checked={chosen.includes(o.value)}
              aria-describedby={o.hint ? `${cid}-hint` : undefined}
            />
            <label for={cid}>
              {o.label}
              {o.hint ? (
                <span class="hint choice-hint" id={`${cid}-hint`}>
                  {o.hint}
                </span>
              ) : null}
            </label>
          </div>
        );
      })}
    </>
  );
}

/** One answer from a few: radios in a fieldset whose legend is the question. */
export function Radios(props: FieldBase & { options: Choice[]; value?: string }) {
  const { id, name = id, options, value } = props;
  return (
    <Fieldset {...props}>
      <Choices type="radio" id={id} name={name} options={options} chosen={value === undefined ? [] : [value]} />
    </Fieldset>
  );
}

/** Any number of answers: checkboxes in a fieldset whose legend is the question. */
export function Checkboxes(props: FieldBase & { options: Choice[]; values?: string[] }) {
  const { id, name = id, options, values = [] } = props;
  return (
    <Fieldset {...props}>
      <Choices type="checkbox" id={id} name={name} options={options} chosen={values} />
    </Fieldset>
  );
}

export interface DateValue {
  day?: string;
  month?: string;
  year?: string;
}

/**
 * A date as three inputs (day, month, year), posted as `${name}-day`, `-month`, `-year` with
 * `${name}-calendar`: Solar Hijri (jalali) on Persian pages, Gregorian on English pages, the same
 * convention the application forms read (applications/jalali.ts converts).
 */
export function DateInput(props: FieldBase & { value?: DateValue }) {
  const { id, name = id, lang, value = {}, error } = props;
  const m = componentWords(lang);
  const inputId = (p: 'day' | 'month' | 'year') => `${id}-${p}`;
  const part = (p: 'day' | 'month' | 'year', width: '2' | '4') => (
    <div class="date-part">
      <label class="label" for={inputId(p)}>
        {m(p)}
      </label>
      <input
        class={`input input-${width}${error ? ' input-error' : ''}`}
        id={inputId(p)}
        name={`${name}-${p}`}
        value={value[p] ?? ''}
        inputMode="numeric"
        dir="ltr"
        autocomplete="off"
        maxLength={p === 'year' ? 4 : 2}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  );
  return (
    <Fieldset {...props} describedBy={`${id}-format`}>
      <p class="hint" id={`${id}-format`}>
        {m('dateExample')}
      </p>
      <input type="hidden" name={`${name}-calendar`} value={lang === 'fa' ? 'jalali' : 'gregorian'} />
      <div class="date-input">
        {part('day', '2')}
        {part('month', '2')}
        {part('year', '4')}
      </div>
    </Fieldset>
  );
}

/** A file upload (the form needs method="post" enctype="multipart/form-data"). */
export function FileUpload(props: FieldBase & { accept?: string }) {
  const { id, name = id, error, hint } = props;
  return (
    <Field {...props}>
      <input
        class={`input-file${error ? ' input-error' : ''}`}
        type="file"
        id={id}
        name={name}
        accept={props.accept}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? 'true' : undefined}
      />
    </Field>
  );
}

/** The hidden anti-forgery field every POST form carries (reply.generateCsrf() in the route). */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export type ButtonVariant = 'primary' | 'secondary' | 'warning' | 'start';

const buttonClass = (variant: ButtonVariant) => `button${variant === 'primary' ? '' : ` button-${variant}`}`;

/** A button; with `href` it is a link styled as a button (for GET navigation). */
export function Button({
  children,
  variant = 'primary',
  href,
  type = 'submit',
  name,
  value,
}: {
  children: ComponentChildren;
  variant?: ButtonVariant;
  href?: string;
  type?: 'submit' | 'button';
  name?: string;
  value?: string;
}) {
  if (href) {
    return (
      <a class={buttonClass(variant)} href={href} role="button" draggable={false}>
        {children}
      </a>
    );
  }
  return (
    <button class={buttonClass(variant)} type={type} name={name} value={value}>
      {children}
    </button>
  );
}

/** Buttons and links side by side at the end of a form. */
export function ButtonGroup({ children }: { children: ComponentChildren }) {
  return <div class="button-group">{children}</div>;
}

/**
 * The older text-input signature (label/hint/error as strings, name = id), kept for the pages that use it;
 * new code uses TextField.
 */
export function TextInput(props: {
  id: string;
  label: string;
  hint?: string;
  value?: string;
  error?: string;
  type?: string;
  autocomplete?: string;
  inputMode?: string;
  width?: 'medium' | 'wide';
  dir?: 'ltr' | 'rtl' | 'auto';
  lang?: Lang;
}) {
  const { id, label, hint, value, error, type = 'text', autocomplete, inputMode, width = 'medium', dir = 'ltr' } = props;
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label class="label" for={id}>
        {label}
      </label>
      <Hint id={id}>{hint}</Hint>
      {error ? (
        props.lang ? (
          <ErrorMessage id={id} lang={props.lang} message={error} />
        ) : (
          <p class="error-message" id={`${id}-error`}>
            {error}
          </p>
        )
      ) : null}
      <input
        class={`input input-${width}${error ? ' input-error' : ''}`}
        id={id}
        name={id}
        type={type}
        value={type === 'password' ? undefined : value}
        autocomplete={autocomplete}
        inputMode={inputMode}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? 'true' : undefined}
        dir={dir}
        spellcheck={false}
      />
    </div>
  );
}
