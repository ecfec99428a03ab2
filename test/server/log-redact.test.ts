import { expect, it } from 'vitest';
import { createLog } from '../../src/server/log.js';

/** serve's own logger, writing JSON lines to a stream read back here. */
function captured() {
  const lines: string[] = [];
  const { logger } = createLog({ LOG_FORMAT: 'json' }, { write: (line: string) => (lines.push(line), true) } as unknown as NodeJS.WritableStream);
  return { logger, events: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

it('redacts tokens, secrets and auth headers at the top of an event and one level down', () => {
  const { logger, events } = captured();
  logger.info({ password: 'pw-top-1', tokens: { accessToken: 'at-nested-2', refreshToken: 'rt-nested-3' }, app: { clientSecret: 'cs-nested-4' }, state: { codeVerifier: 'cv-nested-5' } }, 'one');
  logger.info({ headers: { authorization: 'Bearer hd-6', cookie: 'leadlift_session=ck-7' }, req: { headers: { authorization: 'Bearer hd-8' } }, crm: 'hubspot' }, 'two');
  const text = JSON.stringify(events());
  for (const secret of ['pw-top-1', 'at-nested-2', 'rt-nested-3', 'cs-nested-4', 'cv-nested-5', 'hd-6', 'ck-7', 'hd-8']) expect(text, secret).not.toContain(secret);
  // What is not a secret stays, so the event still says what happened.
  expect(events()[1]).toMatchObject({ crm: 'hubspot', msg: 'two' });
  expect(events()[0]).toMatchObject({ tokens: { accessToken: '[Redacted]' } });
});
