import type { Request } from 'express';

/**
 * A one-time notice carried across the redirect after a form (post/redirect/get). Capped so a
 * session stays small, but above what a tier save says with both CRMs connected (a few sentences
 * each, renamed tiers named): 500 cut the second CRM's words off mid-sentence.
 */
const FLASH_MAX_CHARS = 1500;

export function setFlash(req: Request, message: string): void {
  (req.session as Record<string, unknown>).flash = message.slice(0, FLASH_MAX_CHARS);
}

export function takeFlash(req: Request): string | null {
  const session = req.session as Record<string, unknown> | null | undefined;
  const message = session?.flash;
  if (session && message !== undefined) delete session.flash;
  return typeof message === 'string' ? message : null;
}
