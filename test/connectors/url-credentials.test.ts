import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { hubspotConfigFromEnv } from '../../connectors/hubspot/config.js';
import { HubspotTimeoutError, HubspotUnreachableError } from '../../connectors/hubspot/errors.js';
import { createHubspotConnector } from '../../connectors/hubspot/index.js';
import { refreshHubspotToken } from '../../connectors/hubspot/oauth.js';
import { hubspotPortalIdOf } from '../../connectors/hubspot/portal-id.js';
import { SalesforceError } from '../../connectors/salesforce/errors.js';
import { createSalesforceConnector } from '../../connectors/salesforce/index.js';
import { salesforceConfigFromEnv } from '../../connectors/salesforce/config.js';
import { maskUrlCredentials } from '../../connectors/shared/url-credentials.js';
import { ConfigError } from '../../src/domain/errors.js';
import { salesforceAccount } from '../../src/server/connected-account.js';
import { freePort } from '../free-port.js';

// A CRM address may carry credentials (a gateway or proxy: http://user:password@host). The SDKs
// quote the request URL in their network errors, and our own advice names the address: neither
// may show them. The whole userinfo is masked, since a gateway's user name is often a token.
const PASSWORD = 'ProxyPw777';
const RETRY = { retries: 2, minDelayMs: 20, maxDelayMs: 50 };

function expectNoCredentials(err: unknown): void {
  const shown = `${(err as Error).message} ${JSON.stringify(err)}`;
  expect(shown).not.toContain(PASSWORD);
  expect(shown).not.toContain('gateway-user');
}

describe('credentials in a CRM base URL', () => {
  let silent: Server | undefined;
  const held: Socket[] = [];
  afterEach(async () => {
    for (const socket of held.splice(0)) socket.destroy();
    await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
    silent = undefined;
  });

  it('HubSpot refused at the first request: the SDK error and the "Nothing answers at" advice are masked', async () => {
    const port = await freePort();
    const connector = createHubspotConnector({ accessToken: 'pat-test', basePath: `http://gateway-user:${PASSWORD}@127.0.0.1:${port}`, retry: RETRY });
    const err = await connector.pullLeads(null)[Symbol.asyncIterator]().next().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubspotUnreachableError);
    expect((err as Error).message).toContain(`request to http://****@127.0.0.1:${port}/crm/v3/`);
    expect((err as Error).message).toContain(`Nothing answers at http://****@127.0.0.1:${port}: check HUBSPOT_BASE_URL`);
    expect((err as HubspotUnreachableError).basePath).toBe(`http://****@127.0.0.1:${port}`);
    expectNoCredentials(err);
  });

  it('HubSpot OAuth that does not answer: the timeout advice names the address masked', async () => {
    silent = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', () => resolve()));
    const { port } = silent.address() as { port: number };
    const err = await refreshHubspotToken({
      refreshToken: 'refresh-secret',
      clientId: 'client',
      clientSecret: 'client-secret',
      basePath: `http://gateway-user:${PASSWORD}@127.0.0.1:${port}`,
      timeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubspotTimeoutError);
    expect((err as Error).message).toContain(`check that this server reaches http://****@127.0.0.1:${port} (HUBSPOT_BASE_URL`);
    expectNoCredentials(err);
  });

  it("reading the portal id (token details, then account details) from a HubSpot that does not answer: masked, no raw cause, both connections closed", async () => {
    let closed = 0;
    silent = createServer((socket) => {
      held.push(socket);
      socket.resume(); // read the request (so its end is seen), answer nothing
      socket.on('close', () => (closed += 1));
    });
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', () => resolve()));
    const { port } = silent.address() as { port: number };
    const err = await hubspotPortalIdOf('pat-secret-token', `http://gateway-user:${PASSWORD}@127.0.0.1:${port}`, 300).catch((e: unknown) => e);
    // Both reads timed out: said once, as any call HubSpot does not answer, not as two failures alike.
    expect(err).toBeInstanceOf(HubspotTimeoutError);
    expect((err as Error).message).toMatch(/^HubSpot did not answer while reading which portal the access token belongs to \(account details\): no answer within 300 ms/);
    expect((err as Error).message).toContain(`Nothing was lost; check that this server reaches http://****@127.0.0.1:${port} (HUBSPOT_BASE_URL`);
    expect((err as Error).message).not.toContain('pat-secret-token');
    // A cause would carry the SDK's own error, which quotes the request URL as typed.
    expect((err as Error).cause).toBeUndefined();
    expectNoCredentials(err);
    // Each lookup gave up its connection at its deadline: nothing waits on this HubSpot any more.
    expect(held).toHaveLength(2);
    await expect.poll(() => closed, { timeout: 2000 }).toBe(2);
  });

  it('Salesforce instance URL: the jsforce network error is masked', async () => {
    const port = await freePort();
    const connector = createSalesforceConnector({ instanceUrl: `http://gateway-user:${PASSWORD}@127.0.0.1:${port}`, accessToken: 'token-never-sent', retry: RETRY });
    const err = await connector.pullLeads(null)[Symbol.asyncIterator]().next().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SalesforceError);
    expect((err as Error).message).toContain(`http://****@127.0.0.1:${port}/services/data/`);
    expectNoCredentials(err);
  });

  it('a malformed URL setting is echoed as typed, but for its credentials', () => {
    for (const run of [
      () => hubspotConfigFromEnv({ HUBSPOT_ACCESS_TOKEN: 'pat-x', HUBSPOT_BASE_URL: `ftp://gateway-user:${PASSWORD}@proxy.example:8080` }),
      () => salesforceConfigFromEnv({ SALESFORCE_INSTANCE_URL: `ftp://gateway-user:${PASSWORD}@proxy.example`, SALESFORCE_ACCESS_TOKEN: 't' }),
    ]) {
      const err = (() => {
        try {
          run();
        } catch (e) {
          return e;
        }
        throw new Error('no error');
      })();
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/\(it is "ftp:\/\/\*\*\*\*@proxy\.example(:8080)?"\)$/);
      expectNoCredentials(err);
    }
  });

  it('a bad URL setting without a scheme, or with a raw / ? # in its password, is masked up to its last @', () => {
    const caught = (run: () => unknown): Error => {
      try {
        run();
      } catch (e) {
        return e as Error;
      }
      throw new Error('no error');
    };
    const values = [
      [`gateway-user:${PASSWORD}@host.example`, '****@host.example'],
      [`http://gateway-user:${PASSWORD}/x@host.example`, 'http://****@host.example'],
      [`http://gateway-user:${PASSWORD}?x@host.example`, 'http://****@host.example'],
      [`http://gateway-user:${PASSWORD}#x@host.example`, 'http://****@host.example'],
      [`https://gateway-user:${PASSWORD}/a@b@host.example:99`, 'https://****@host.example:99'],
    ];
    for (const [typed, shown] of values) {
      for (const err of [
        caught(() => hubspotConfigFromEnv({ HUBSPOT_ACCESS_TOKEN: 'pat-x', HUBSPOT_BASE_URL: typed })),
        caught(() => salesforceConfigFromEnv({ SALESFORCE_INSTANCE_URL: typed, SALESFORCE_ACCESS_TOKEN: 't' })),
        caught(() => salesforceConfigFromEnv({ SALESFORCE_LOGIN_URL: typed, SALESFORCE_ACCESS_TOKEN: 't' })),
      ]) {
        expect(err).toBeInstanceOf(ConfigError);
        expect(err.message).toMatch(/^Configuration "(HUBSPOT_BASE_URL|SALESFORCE_INSTANCE_URL|SALESFORCE_LOGIN_URL)"/);
        expect(err.message.endsWith(`(it is "${shown}")`)).toBe(true);
        expectNoCredentials(err);
      }
    }
  });

  it('the connected Salesforce org line masks an instance URL with credentials', () => {
    expect(salesforceAccount('00D1', `https://gateway-user:${PASSWORD}@acme.my.salesforce.com`)).toBe('org 00D1 at https://****@acme.my.salesforce.com');
  });

  it('masks userinfo (a raw @ in the password too), and leaves other @ and URLs alone', () => {
    expect(maskUrlCredentials('it is "ftp://u:p@ss@h:1/x"')).toBe('it is "ftp://****@h:1/x"');
    expect(maskUrlCredentials('http://token@h/x and https://a:b@c')).toBe('http://****@h/x and https://****@c');
    for (const plain of ['http://127.0.0.1:9/a@b', 'mail x@y.com', 'http://h:80/p?x=a:b@c']) expect(maskUrlCredentials(plain)).toBe(plain);
  });
});
