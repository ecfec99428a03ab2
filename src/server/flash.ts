import type { Request } from 'express';

/** A one-time notice carried across the redirect after a form (post/redirect/get). */
export function setFlash(req: Request, message: string): void {
  (req.session as Record<string, unknown>).flash = message.slice(0, 500);
}

export function takeFlash(req: Request): string | null {
  const session = req.session as Record<string, unknown> | null | undefined;
  const message = session?.flash;
  if (session && message !== undefined) delete session.flash;
  return typeof message === 'string' ? message : null;
}
