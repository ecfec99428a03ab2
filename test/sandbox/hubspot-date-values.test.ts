import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { hubspotClient, sdkError, seedLeads, startHubspot } from './helpers.js';

const PREFIX = 'Property values were not valid: ';
const errorsOf = (body: Record<string, unknown>) => JSON.parse(String(body.message).slice(PREFIX.length)) as Array<Record<string, unknown>>;

describe('HubSpot sandbox date and datetime values: epoch ms or ISO 8601 only, read the same in every time zone', () => {
  let sandbox: RunningSandbox;
  let id: string;
  const savedTz = process.env.TZ;
  const contacts = () => hubspotClient(sandbox).crm.contacts;
  const stored = async () => (await contacts().basicApi.getById(id, ['renewal_date', 'last_call_at'])).properties;

  beforeAll(async () => {
    // A zone far from UTC: a time read as local time would move by hours and change the date.
    process.env.TZ = 'Pacific/Kiritimati';
    sandbox = await startHubspot({ seed: seedLeads(3), hubspotRateLimit: 100_000 });
    const properties = hubspotClient(sandbox).crm.properties.coreApi;
    await properties.create('contacts', { name: 'renewal_date', label: 'Renewal date', type: 'date' as never, fieldType: 'date' as never, groupName: 'contactinformation' });
    await properties.create('contacts', { name: 'last_call_at', label: 'Last call', type: 'datetime' as never, fieldType: 'date' as never, groupName: 'contactinformation' });
    id = (await contacts().basicApi.getPage(1)).results[0].id;
    await contacts().basicApi.update(id, { properties: { renewal_date: '2026-01-01', last_call_at: '2026-01-01T09:00:00.000Z' } });
  });
  afterAll(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
    return sandbox.close();
  });

  it.each(['Jan 1 2023', 'tomorrow', '2023/01/01', '01/02/2023', '2023-01-01 10:00:00', '2023-02-30', '2023-01-01T24:00:00Z', '1.7e12'])(
    'refuses %s with 400 "was not a valid long." (INVALID_LONG), for datetime and date alike, storing nothing',
    async (value) => {
      for (const name of ['last_call_at', 'renewal_date']) {
        const err = await sdkError(contacts().basicApi.update(id, { properties: { [name]: value } }));
        expect(err.code).toBe(400);
        expect(err.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
        expect(errorsOf(err.body)).toEqual([{ isValid: false, message: `${value} was not a valid long.`, error: 'INVALID_LONG', name }]);
      }
      expect(await stored()).toMatchObject({ renewal_date: '2026-01-01', last_call_at: '2026-01-01T09:00:00.000Z' });
    },
  );

  it('a time without a zone is UTC, not the machine\'s time: stored as written, and midnight for a date', async () => {
    const written = await contacts().basicApi.update(id, { properties: { last_call_at: '2026-08-10T13:01:00', renewal_date: '2026-08-10T00:00:00' } });
    expect(written.properties).toMatchObject({ last_call_at: '2026-08-10T13:01:00.000Z', renewal_date: '2026-08-10' });
  });

  it('takes ISO 8601 with Z, an offset, minutes only or a fraction, and epoch ms', async () => {
    const cases: Array<[string, string]> = [
      ['2026-08-10T13:01Z', '2026-08-10T13:01:00.000Z'],
      ['2026-08-10T13:01:00.5+02:00', '2026-08-10T11:01:00.500Z'],
      ['2026-08-10T13:01:00.123456Z', '2026-08-10T13:01:00.123Z'],
      ['2026-08-10', '2026-08-10T00:00:00.000Z'],
      ['1786334400000', '2026-08-10T04:00:00.000Z'],
    ];
    for (const [value, iso] of cases) {
      expect((await contacts().basicApi.update(id, { properties: { last_call_at: value } })).properties.last_call_at).toBe(iso);
    }
  });

  it('an epoch beyond what a date can hold is refused with 400, not a 500', async () => {
    const err = await sdkError(contacts().basicApi.update(id, { properties: { last_call_at: '99999999999999999' } }));
    expect(err.code).toBe(400);
    expect(errorsOf(err.body)).toMatchObject([{ error: 'INVALID_LONG', name: 'last_call_at' }]);
  });
});
