import { html, type SafeHtml } from './html.js';
import { CSRF_FIELD } from '../security/csrf.js';

export interface PageContext {
  title: string;
  /** Which tab is current. */
  nav?: 'tiers' | 'leads' | 'model' | 'install';
  user?: string;
  csrf: string;
  /** Scripts from /static (same origin only: the CSP allows nothing else). */
  scripts?: string[];
}

/**
 * The page frame every admin page shares: header, navigation, logout. The skip link comes first
 * so a keyboard user's first Tab can jump past the header; main takes focus (tabindex -1) so the
 * next Tab continues inside it rather than back at the top.
 */
export function layout(ctx: PageContext, body: SafeHtml): SafeHtml {
  const tab = (id: PageContext['nav'], href: string, label: string) =>
    html`<a href="${href}" class="tab${ctx.nav === id ? ' current' : ''}"${ctx.nav === id ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${ctx.csrf}">
<title>${ctx.title} · leadlift</title>
<link rel="stylesheet" href="/static/app.css">
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Cpath d='M8 1 15 15H1z' fill='%231f5fbf'/%3E%3C/svg%3E">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="top">
  <a class="brand" href="/admin"><span class="mark" aria-hidden="true">▲</span> leadlift</a>
  ${ctx.user
    ? html`<nav aria-label="Main">${tab('tiers', '/admin', 'Tiers')}${tab('leads', '/admin/leads', 'Leads')}${tab('model', '/admin/model', 'Model')}${tab('install', '/install', 'Connections')}</nav>
  <form method="post" action="/logout" class="logout"><input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}"><span class="who">${ctx.user}</span> <button type="submit" class="link">Log out</button></form>`
    : ''}
</header>
<main id="main" tabindex="-1">
${body}
</main>
${(ctx.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</body>
</html>`;
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
}

export function percent(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)}%`;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
