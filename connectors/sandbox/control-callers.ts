import type { RequestHandler } from 'express';

/** The names a client on this machine reaches the sandbox by (it listens on 127.0.0.1). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The control API has no auth by design (tests and demos), and listening on 127.0.0.1 keeps
 * other machines out, but not web pages open in this machine's browser: a page of any site could
 * post a form to /__sandbox/reset (wiping a --state sandbox) or, through DNS rebinding (its own
 * host name answering 127.0.0.1), read /__sandbox/ with the sandbox's token and app secret. Its
 * callers are scripts and tests (no Origin header, a loopback Host), so a request with another
 * Host, or from a page of another origin, is refused. The CRM APIs beside it are not guarded: a
 * real CRM does not check these either, and the sandbox's consent page is opened from leadlift.
 */
export const controlCallersOnly: RequestHandler = (req, res, next) => {
  const host = req.get('host') ?? '';
  const origin = req.get('origin');
  if (LOOPBACK_HOSTS.has(host.replace(/:\d+$/, '').toLowerCase()) && (origin === undefined || sameHost(origin, host))) return next();
  res.status(403).json({
    error: `The sandbox's control API (/__sandbox/) answers scripts on this machine only: this request came ${origin === undefined ? `for host "${host}"` : `from a page of ${origin}`}. Call it as http://127.0.0.1:<port>/__sandbox/ from a script or curl.`,
  });
};

function sameHost(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
