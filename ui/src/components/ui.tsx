import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { formatDate, formatDateTime, formatPrecise, formatRelative } from '../format';

/* Small building blocks: every field has a visible label, its hint and error are tied to it
 * with aria-describedby, and a page moves focus to its heading when it opens. */

/** A page: sets the document title and moves focus to the heading, so a route change is announced. */
export function Page({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – Glappfri`;
    heading.current?.focus();
  }, [title]);
  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {actions ? <div class="page-actions">{actions}</div> : null}
      </div>
      {children}
    </>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'error' | 'success' | 'warning'; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : undefined}>
      {children}
    </div>
  );
}

export function Loading({ what = 'Hämtar' }: { what?: string }) {
  return (
    <p class="loading" role="status">
      {what}…
    </p>
  );
}

export function Time({ iso, precise, withTime, relative }: { iso: string | null | undefined; precise?: boolean; withTime?: boolean; relative?: boolean }) {
  if (!iso) return <span>–</span>;
  const text = precise ? formatPrecise(iso) : withTime ? formatDateTime(iso) : formatDate(iso);
  return (
    <>
      <time dateTime={iso} title={formatPrecise(iso)}>
        {text}
      </time>
      {relative ? <span class="muted"> ({formatRelative(iso)})</span> : null}
    </>
  );
}

export function Badge({ kind, children }: { kind: 'danger' | 'warning' | 'ok' | 'neutral' | 'info'; children: ComponentChildren }) {
  return <span class={`badge badge-${kind}`}>{children}</span>;
}

interface FieldShell {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  optional?: boolean;
  /** Narrows a view rather than entering data: neither required nor marked "(frivilligt)". */
  filter?: boolean;
}

const describedBy = (f: FieldShell) => [f.hint ? `${f.id}-hjalp` : '', f.error ? `${f.id}-fel` : ''].filter(Boolean).join(' ') || undefined;

function Hint({ f }: { f: FieldShell }) {
  return f.hint ? (
    <p id={`${f.id}-hjalp`} class="hint">
      {f.hint}
    </p>
  ) : null;
}

export function FieldError({ id, error }: { id: string; error?: string | undefined }) {
  return error ? (
    <p id={`${id}-fel`} class="field-error">
      <span class="visually-hidden">Fel: </span>
      {error}
    </p>
  ) : null;
}

function Label({ f }: { f: FieldShell }) {
  return (
    <label for={f.id}>
      {f.label}
      {f.optional && !f.filter ? <span class="muted"> (frivilligt)</span> : null}
    </label>
  );
}

type InputProps = FieldShell & {
  value: string;
  onValue(value: string): void;
  type?: 'text' | 'date';
  class?: string;
  inputMode?: 'numeric' | 'text';
  maxLength?: number;
  autoComplete?: string;
};

export function TextField({ id, label, hint, error, optional, value, onValue, type = 'text', class: cls, inputMode, maxLength, autoComplete }: InputProps) {
  const f = { id, label, hint, error, optional };
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <Label f={f} />
      <Hint f={f} />
      <FieldError id={id} error={error} />
      <input
        id={id}
        name={id}
        // Preact's types tie each input type to its own attributes; both of ours take these.
        type={type as 'text'}
        class={cls}
        value={value}
        inputMode={inputMode}
        maxLength={maxLength}
        autoComplete={autoComplete}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(f)}
        aria-required={optional ? undefined : 'true'}
      />
    </div>
  );
}

type AreaProps = FieldShell & { value: string; onValue(value: string): void; rows?: number; maxLength?: number };

export function TextArea({ id, label, hint, error, optional, value, onValue, rows = 3, maxLength }: AreaProps) {
  const f = { id, label, hint, error, optional };
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <Label f={f} />
      <Hint f={f} />
      <FieldError id={id} error={error} />
      <textarea
        id={id}
        name={id}
        rows={rows}
        maxLength={maxLength}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(f)}
        aria-required={optional ? undefined : 'true'}
      />
    </div>
  );
}

/** A choice: its value, its text, and (radio buttons) an optional description under it. */
export type Option = readonly [value: string, text: string, description?: string];

type SelectProps = FieldShell & { value: string; onValue(value: string): void; options: readonly Option[]; placeholder?: string };

export function SelectField({ id, label, hint, error, optional, filter, value, onValue, options, placeholder }: SelectProps) {
  const f = { id, label, hint, error, optional, filter };
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <Label f={f} />
      <Hint f={f} />
      <FieldError id={id} error={error} />
      <select
        id={id}
        name={id}
        value={value}
        onChange={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(f)}
        aria-required={optional || filter ? undefined : 'true'}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map(([v, t]) => (
          <option key={v} value={v}>
            {t}
          </option>
        ))}
      </select>
    </div>
  );
}

type ChoiceProps = FieldShell & { options: readonly Option[]; columns?: boolean };

/** Checkboxes in a fieldset; the first box carries `id`, so an error summary can focus the group. */
export function CheckboxGroup({ id, label, hint, error, optional, options, values, onValues, columns }: ChoiceProps & { values: readonly string[]; onValues(values: string[]): void }) {
  const f = { id, label, hint, error, optional };
  const toggle = (v: string, on: boolean) => onValues(on ? [...values.filter((x) => x !== v), v] : values.filter((x) => x !== v));
  return (
    <fieldset class={`field choices${error ? ' field-invalid' : ''}`} aria-describedby={describedBy(f)}>
      <legend>
        {label}
        {optional ? <span class="muted"> (frivilligt)</span> : null}
      </legend>
      <Hint f={f} />
      <FieldError id={id} error={error} />
      <div class={columns ? 'choice-columns' : 'choice-list'}>
        {options.map(([v, t], i) => (
          <div class="choice" key={v}>
            <input type="checkbox" id={i === 0 ? id : `${id}-${v}`} name={id} value={v} checked={values.includes(v)} onChange={(e) => toggle(v, e.currentTarget.checked)} />
            <label for={i === 0 ? id : `${id}-${v}`}>{t}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** Radio buttons in a fieldset; the first carries `id`. A choice's description is tied to its button. */
export function RadioGroup({ id, label, hint, error, optional, options, value, onValue, columns }: ChoiceProps & { value: string; onValue(value: string): void }) {
  const f = { id, label, hint, error, optional };
  return (
    <fieldset class={`field choices${error ? ' field-invalid' : ''}`} aria-describedby={describedBy(f)}>
      <legend>{label}</legend>
      <Hint f={f} />
      <FieldError id={id} error={error} />
      <div class={columns ? 'choice-columns' : 'choice-list'}>
        {options.map(([v, t, description], i) => {
          const inputId = i === 0 ? id : `${id}-${v}`;
          return (
            <div class="choice" key={v}>
              <input type="radio" id={inputId} name={id} value={v} checked={value === v} onChange={() => onValue(v)} aria-describedby={description ? `${inputId}-beskrivning` : undefined} />
              <label for={inputId}>{t}</label>
              {description ? (
                <span id={`${inputId}-beskrivning`} class="hint choice-description">
                  {description}
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/** `Fas: välj ett av alternativen.`: the summary is read away from the fields, so each line says which. */
export function summaryLine(field: string | undefined, message: string): string {
  if (!field) return message;
  // "Välj…" reads on after the colon; a word in capitals (an acronym) keeps them.
  const rest = /^\p{Lu}\p{Ll}/u.test(message) ? message.charAt(0).toLowerCase() + message.slice(1) : message;
  return `${field}: ${rest}`;
}

/**
 * GOV.UK-style summary at the top of a form: focused on a failed submit, each error links to its
 * field and begins with the field's label.
 */
export function ErrorSummary({ errors, title = 'Rätta följande:' }: { errors: { fieldId: string | null; field?: string; message: string }[]; title?: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length > 0) box.current?.focus();
  }, [errors]);
  if (errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={box} aria-labelledby="felsammanfattning">
      <h2 id="felsammanfattning">{title}</h2>
      <ul>
        {errors.map((e, i) => (
          <li key={i}>
            {e.fieldId ? (
              <a
                href={`#${e.fieldId}`}
                onClick={(ev) => {
                  ev.preventDefault();
                  document.getElementById(e.fieldId ?? '')?.focus();
                }}
              >
                {summaryLine(e.field, e.message)}
              </a>
            ) : (
              summaryLine(e.field, e.message)
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Button({ kind = 'primary', busy, children, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { kind?: 'primary' | 'secondary' | 'danger' | 'link'; busy?: boolean }) {
  return (
    <button class={`btn btn-${kind}`} aria-disabled={busy ? 'true' : undefined} {...rest} onClick={busy ? (e) => e.preventDefault() : rest.onClick}>
      {children}
    </button>
  );
}
