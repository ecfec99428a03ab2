import { Client } from '@hubspot/api-client';
import type { SeedLead } from '../../connectors/sandbox/context.js';
import { seedLeadsFromCsv } from '../../connectors/sandbox/seed.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../connectors/sandbox/server.js';

/** Rows with typed columns and odd column names; "Converted" is the outcome (every third row "Yes"). */
export function leadsCsv(rows: number): string {
  const lines = ['Lead Id;Created On;Lead Source;emp.var.rate;Converted'];
  const sources = ['Web', 'Referral', 'Event', 'Partner'];
  for (let i = 0; i < rows; i++) {
    const created = new Date(Date.UTC(2023, 0, 1) + i * 3_600_000).toISOString();
    lines.push(`L-${1000 + i};${created};${sources[i % 4]};${(i % 7) - 3}.5;${i % 3 === 0 ? 'Yes' : 'No'}`);
  }
  return lines.join('\n');
}

export function seedLeads(rows: number, openFraction = 0.2): SeedLead[] {
  return seedLeadsFromCsv(leadsCsv(rows), { label: 'Converted', positive: 'Yes', order: 'Created On', id: 'Lead Id', sep: ';', openFraction }, Date.now());
}

export async function startHubspot(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ port: 0, crm: 'hubspot', token: 'test-token', ...options });
}

/**
 * An SDK client against the sandbox. The SDK keeps its retry/limiter decorators in a process-wide
 * singleton that is applied when an API group is first touched, so the groups are touched here,
 * right after construction, to bind this client's own retry setting.
 */
export function hubspotClient(sandbox: RunningSandbox, config: { accessToken?: string; numberOfApiCallRetries?: number; developerApiKey?: string } = {}): Client {
  const client = new Client({ accessToken: sandbox.token, basePath: sandbox.url, numberOfApiCallRetries: 0, ...config });
  void client.crm.contacts;
  void client.crm.deals;
  void client.crm.properties;
  void client.crm.associations.v4;
  void client.crm.associations;
  void client.oauth;
  void client.webhooks;
  return client;
}

export async function control<T = unknown>(sandbox: RunningSandbox, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sandbox.url}/__sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** The SDK's ApiException carries the HTTP status as `code`, the parsed body and the headers. */
export interface SdkError {
  code: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

export async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (err) {
    return err as SdkError;
  }
  throw new Error('expected the SDK call to fail');
}
