// Small form building blocks: labelled inputs, the CSRF field and an error summary.
import { html, type SafeHtml } from './html.ts';

export interface FieldOptions {
  type?: 'text' | 'email' | 'password' | 'search' | 'url';
  value?: string;
  autocomplete?: string;
  required?: boolean;
  maxlength?: number;
  minlength?: number;
  hint?: string;
}

/**
 * A labelled input, with its hint tied to it for screen readers.
 */
export function field(label: string, name: string, o: FieldOptions = {}): SafeHtml {
  const id = `f-${name}`;
  return html`<p class="field">
    <label for="${id}">${label}</label>
    <input
      id="${id}"
      name="${name}"
      type="${o.type ?? 'text'}"
      value="${o.value ?? ''}"
      ${o.autocomplete !== undefined ? html` autocomplete="${o.autocomplete}"` : ''}${o.required === true
        ? html` required`
        : ''}${o.maxlength !== undefined ? html` maxlength="${o.maxlength}"` : ''}${o.minlength !== undefined
        ? html` minlength="${o.minlength}"`
        : ''}${o.hint !== undefined ? html` aria-describedby="${id}-hint"` : ''}
    />
    ${o.hint !== undefined ? html`<span class="hint" id="${id}-hint">${o.hint}</span>` : ''}
  </p>`;
}

/**
 * The required e-mail address field of the account and digest forms (at most 254 characters).
 * @example emailField(v.email) // or emailField(v.email, 'username') on the sign-in form
 */
export function emailField(
  value: string | undefined,
  autocomplete: 'email' | 'username' = 'email',
): SafeHtml {
  return field('E-mail', 'email', { type: 'email', value, autocomplete, required: true, maxlength: 254 });
}

/** The hidden CSRF field every form carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}

/** An error message above a form, announced to screen readers. */
export function formError(message: string | undefined): SafeHtml {
  return message === undefined ? html`` : html`<p class="error" role="alert">${message}</p>`;
}
