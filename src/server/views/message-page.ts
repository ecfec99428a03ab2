import { html } from './html.js';
import { layout } from './layout.js';

/** A plain page for errors and notices (bad OAuth state, CRM refusal…). */
export function messagePage(input: { title: string; message: string; csrf: string; user?: string; back?: { href: string; label: string } }) {
  return layout(
    { title: input.title, csrf: input.csrf, user: input.user },
    html`<section class="card narrow"><h1>${input.title}</h1><p>${input.message}</p>${input.back ? html`<p><a href="${input.back.href}">${input.back.label}</a></p>` : ''}</section>`,
  );
}
