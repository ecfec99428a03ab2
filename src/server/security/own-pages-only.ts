import type { RequestHandler } from 'express';
import { messagePage } from '../views/message-page.js';
import { csrfToken } from './csrf.js';
import { sessionOf } from './session.js';

/** Sec-Fetch-Site values of a navigation leadlift's own pages did not start: another site's link, redirect or script. */
const OTHER_SITES = new Set(['cross-site', 'same-site']);

/**
 * For a GET that changes what leadlift is connected to: the install starts. They stay links, as
 * HubSpot's own install links are, but SameSite=Lax sends the session cookie with any top-level
 * navigation, another site's too, and no CSRF token rides on a link. Salesforce skips its approval
 * screen for an app the user approved before (and the sandbox consents at once), so a link on any
 * page an admin opened reconnected leadlift, with no click on leadlift, to whichever org that
 * browser was logged in to (a developer org, another customer's) and ran the install against it.
 *
 * Browsers say where a navigation came from (Sec-Fetch-Site, Fetch Metadata): a link on leadlift's
 * own pages is same-origin, an address typed or bookmarked is none, and both pass. "same-site"
 * is refused too: a sibling subdomain (another app on the same domain) is not leadlift. A client
 * that sends no Sec-Fetch-Site (a browser before 2023, a script) passes, as every request did before.
 */
export const ownPagesOnly: RequestHandler = (req, res, next) => {
  const site = req.get('sec-fetch-site');
  if (site === undefined || !OTHER_SITES.has(site)) return next();
  res
    .status(403)
    .type('html')
    .send(
      messagePage({
        title: 'Install not started',
        message: 'This install link was opened from another site, so leadlift did not start it: connecting a CRM starts only from leadlift\'s Connections page. Open it and click Connect there.',
        csrf: csrfToken(req),
        user: sessionOf(req).user,
        back: { href: '/install', label: 'Go to Connections' },
      }).value,
    );
};
