import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { verifyHubspotSignatureV3 } from '../../src/server/hubspot-signature.js';
import { hubspotSignedUri } from '../../connectors/hubspot/signed-uri.js';
import { control, hubspotClient, seedLeads, startHubspot } from '../sandbox/helpers.js';

/** HubSpot's validation guide, written out: decode these escapes and nothing else. */
const GUIDE: Array<[string, string]> = [
  ['%3A', ':'], ['%2F', '/'], ['%3F', '?'], ['%40', '@'], ['%21', '!'], ['%24', '$'],
  ['%27', "'"], ['%28', '('], ['%29', ')'], ['%2A', '*'], ['%2C', ','], ['%3B', ';'],
];
const byTheGuide = (uri: string) => GUIDE.reduce((u, [escape, char]) => u.split(escape).join(char), uri);
const sign = (secret: string, uri: string, body: string, ts: number) => createHmac('sha256', secret).update(`POST${uri}${body}${ts}`).digest('base64');

describe('the URI a v3 signature covers', () => {
  it('decodes only the listed escapes: %20, %25 and %26 stay as sent', () => {
    const uri = 'https://app.example/webhooks/hubspot?x=a%20b&y=%3A%2F%3f&z=100%25%26%40';
    expect(hubspotSignedUri(uri)).toBe('https://app.example/webhooks/hubspot?x=a%20b&y=:/?&z=100%25%26@');
    expect(hubspotSignedUri(uri)).toBe(byTheGuide(uri.replace('%3f', '%3F')));
  });

  it("the app's verifier accepts the documented signature for a query with %20 and refuses one over the fully decoded URI", () => {
    const uri = 'https://app.example/webhooks/hubspot?x=a%20b%3Ac';
    const body = '[{"eventId":1}]';
    const now = Date.now();
    const check = (signature: string) => verifyHubspotSignatureV3({ clientSecret: 's3cret', method: 'POST', uri, rawBody: body, signature, timestamp: String(now), now });
    expect(check(sign('s3cret', byTheGuide(uri), body, now))).toEqual({ ok: true });
    expect(check(sign('s3cret', decodeURIComponent(uri), body, now))).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('the sandbox signs webhooks by the documented rule', () => {
  let sandbox: RunningSandbox;
  let receiver: http.Server;
  const got: Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    sandbox = await startHubspot({ seed: seedLeads(3), hubspotRateLimit: 10_000 });
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        got.push({ url: req.url!, headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await sandbox.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('for a target URL whose query holds %20', async () => {
    const app = sandbox.hubspot!.app();
    const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/hubspot?x=a%20b%3Ac`;
    const dev = hubspotClient(sandbox, { developerApiKey: sandbox.token });
    await dev.webhooks.settingsApi.configure(app.appId, { targetUrl: target, throttling: { maxConcurrentRequests: 10, period: 'SECONDLY' } } as never);
    await dev.webhooks.subscriptionsApi.create(app.appId, { eventType: 'contact.propertyChange', propertyName: 'firstname', active: true } as never);
    const { id } = (await hubspotClient(sandbox).crm.contacts.basicApi.getPage(1)).results[0];
    await hubspotClient(sandbox).crm.contacts.basicApi.update(id, { properties: { firstname: 'Signed' } });
    await control(sandbox, 'POST', '/hubspot/webhooks/flush');
    expect(got).toHaveLength(1);
    const { url, headers, body } = got[0];
    expect(url).toBe('/webhooks/hubspot?x=a%20b%3Ac');
    const ts = Number(headers['x-hubspot-request-timestamp']);
    expect(headers['x-hubspot-signature-v3']).toBe(sign(app.clientSecret, byTheGuide(target), body, ts));
  });
});
