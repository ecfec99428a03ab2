import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseSandboxFlags } from '../../src/cli/sandbox.js';
import { InputError } from '../../src/domain/errors.js';
import { leadliftBin } from './cli-child.js';

/** The message parseSandboxFlags refuses `raw` with (commander hands the action strings). */
function refusal(raw: Record<string, unknown>): string {
  try {
    parseSandboxFlags(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).message;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}

// zod's own words reached the user: "--port: Expected number, received nan",
// "--crm: Invalid enum value. Expected 'hubspot' | 'salesforce' | 'both', received 'x'".
describe('leadlift sandbox: a bad flag is named, with what it takes and the value given', () => {
  it('exits 2 with one plain line for a CRM it does not serve', () => {
    const r = spawnSync(process.execPath, [leadliftBin, 'sandbox', '--crm', 'pipedrive'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('leadlift: leadlift sandbox --crm: must be hubspot, salesforce or both (got "pipedrive")');
  });

  it.each([
    [{ port: 'abc' }, '--port: must be a port number 0-65535 (0: any free port) (got "abc")'],
    [{ port: '70000' }, '--port: must be a port number 0-65535 (0: any free port) (got "70000")'],
    [{ openFraction: 'half' }, '--open-fraction: must be a share from 0 to 1, e.g. 0.2 for the newest fifth (got "half")'],
    [{ openFraction: '2' }, '--open-fraction: must be a share from 0 to 1, e.g. 0.2 for the newest fifth (got "2")'],
    [{ sep: '' }, '--sep: must not be empty (got "")'],
  ])('%j', (raw, words) => {
    const message = refusal(raw);
    expect(message).toBe(`leadlift sandbox ${words}`);
    expect(message).not.toMatch(/Expected|received|Invalid|Number must|String must/);
  });

  it('refuses a port Node\'s fetch and browsers will not connect to, before anything starts', () => {
    const r = spawnSync(process.execPath, [leadliftBin, 'sandbox', '--port', '4190'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("leadlift: --port 4190 is a port browsers and Node's fetch refuse to connect to (one of the Fetch standard's blocked ports, such as 4190 and 6000), so leadlift's pages and its own calls there would fail. Pick another port, e.g. 4191.");
  });

  it('never repeats a token or a client secret it refuses', () => {
    expect(refusal({ token: 'short' })).toBe('leadlift sandbox --token: must be at least 8 characters');
    expect(refusal({ salesforceClientSecret: '' })).toBe('leadlift sandbox --salesforce-client-secret: must not be empty');
  });

  it('takes good flags, with the defaults said in --help', () => {
    expect(parseSandboxFlags({ port: '0', crm: 'hubspot' })).toMatchObject({ port: 0, crm: 'hubspot', openFraction: 0.2 });
    expect(parseSandboxFlags({})).toMatchObject({ port: 4010, crm: 'both' });
    // --positive is worked out for a yes/no label, as evaluate works it out; --label is still needed.
    expect(parseSandboxFlags({ seed: 'leads.csv', label: 'y' })).toMatchObject({ seed: 'leads.csv', label: 'y' });
    expect(refusal({ seed: 'leads.csv' })).toBe('leadlift sandbox --seed: --seed needs --label COL (and --positive VALUE unless the label is a yes/no column)');
  });
});
