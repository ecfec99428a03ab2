import type { RequestHandler, Response } from 'express';

/**
 * What only a logged-in admin may see is kept out of every cache: without this, a browser shows
 * the admin pages again from its cache when Back is pressed after logging out (a shared computer's
 * next user reads them without logging in), and a caching proxy in front may store them.
 */
export function markNoStore(res: Response): void {
  res.set('Cache-Control', 'no-store');
}

export const noStore: RequestHandler = (_req, res, next) => {
  markNoStore(res);
  next();
};
