import { html } from './html.js';
import { csrfField, layout } from './layout.js';

export function loginPage(input: { csrf: string; next: string; error?: string; disabled: boolean; user?: string }) {
  return layout(
    { title: 'Log in', csrf: input.csrf },
    html`<section class="card narrow">
  <h1>Log in</h1>
  <p class="muted">leadlift's admin pages are for sales managers and CRM admins.</p>
  ${input.disabled
    ? html`<p class="error" role="alert">Login is not set up: set <code>LEADLIFT_ADMIN_USER</code> and <code>LEADLIFT_ADMIN_PASSWORD</code> (12 characters or more) in the server's environment and restart it.</p>`
    : html`<form method="post" action="/login" class="stack">
    ${csrfField(input.csrf)}
    <input type="hidden" name="next" value="${input.next}">
    ${input.error ? html`<p class="error" role="alert" id="login-error">${input.error}</p>` : ''}
    <label>User name <input name="user" autocomplete="username" required value="${input.user ?? ''}"></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
    <button type="submit" class="primary">Log in</button>
  </form>`}
</section>`,
  );
}
