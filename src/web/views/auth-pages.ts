// Sign-up, sign-in and password-reset pages, and the "check your inbox" answers.
import { html, type SafeHtml } from './html.ts';
import { csrfField, emailField, field, formError } from './form-parts.ts';

export interface AuthFormView {
  csrf: string;
  error?: string;
  email?: string;
  next?: string;
  /** The handle typed on the sign-up form (shown again after an error). */
  handle?: string;
}

/** Sign-up form. */
export function signUpForm(v: AuthFormView): SafeHtml {
  return html`<section class="narrow">
    <h1>Create an account</h1>
    ${formError(v.error)}
    <form method="post" action="/signup">
      ${csrfField(v.csrf)} ${emailField(v.email)}
      ${field('Name (optional)', 'name', { autocomplete: 'name', maxlength: 80 })}
      ${field('Handle (optional)', 'handle', {
        value: v.handle,
        autocomplete: 'nickname',
        maxlength: 30,
        hint: 'Your public name at /u/<handle>: 2-30 letters, digits, "_" or "-". You can choose it later.',
      })}
      ${field('Password', 'password', {
        type: 'password',
        autocomplete: 'new-password',
        required: true,
        minlength: 8,
        maxlength: 256,
        hint: 'At least 8 characters.',
      })}
      <button type="submit">Sign up</button>
    </form>
    <p>
      We will mail you a link to confirm the address. Already have an account? <a href="/signin">Sign in</a>.
    </p>
  </section>`;
}

/** Sign-in form. */
export function signInForm(v: AuthFormView): SafeHtml {
  return html`<section class="narrow">
    <h1>Sign in</h1>
    ${formError(v.error)}
    <form method="post" action="/signin">
      ${csrfField(v.csrf)}<input type="hidden" name="next" value="${v.next ?? '/'}" />
      ${emailField(v.email, 'username')}
      ${field('Password', 'password', {
        type: 'password',
        autocomplete: 'current-password',
        required: true,
        maxlength: 256,
      })}
      <button type="submit">Sign in</button>
    </form>
    <p><a href="/reset">Forgot your password?</a> · New here? <a href="/signup">Create an account</a>.</p>
  </section>`;
}

/** Asks for the address to send a reset link to. */
export function resetRequestForm(v: AuthFormView): SafeHtml {
  return html`<section class="narrow">
    <h1>Reset your password</h1>
    ${formError(v.error)}
    <form method="post" action="/reset">
      ${csrfField(v.csrf)} ${emailField(v.email)}
      <button type="submit">Mail me a link</button>
    </form>
  </section>`;
}

/** Sets a new password from a reset link. */
export function resetForm(v: AuthFormView & { token: string }): SafeHtml {
  return html`<section class="narrow">
    <h1>Choose a new password</h1>
    ${formError(v.error)}
    <form method="post" action="/reset/${v.token}">
      ${csrfField(v.csrf)}
      ${field('New password', 'password', {
        type: 'password',
        autocomplete: 'new-password',
        required: true,
        minlength: 8,
        maxlength: 256,
        hint: 'At least 8 characters. Every other session is signed out and every API token revoked.',
      })}
      <button type="submit">Set password and sign in</button>
    </form>
  </section>`;
}

/** The same answer whether or not the address has an account. */
export function checkInbox(email: string, what: 'signup' | 'reset'): SafeHtml {
  const detail =
    what === 'signup'
      ? 'If the address can be used, the mail holds a link to finish creating your account. If you already have an account, it tells you how to sign in.'
      : 'If an account uses this address, the mail holds a link to choose a new password. The link works once, for an hour.';
  return html`<section class="narrow">
    <h1>Check your inbox</h1>
    <p>We sent a message to <strong>${email}</strong>.</p>
    <p>${detail}</p>
  </section>`;
}
