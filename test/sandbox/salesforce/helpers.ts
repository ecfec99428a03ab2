import { Connection } from 'jsforce';
import type { SeedLead } from '../../../connectors/sandbox/context.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../connectors/sandbox/server.js';

export const TOKEN = 'sf-test-token';
export const VERSION = '60.0';

/**
 * These tests create custom fields through the Tooling API as a client whose profile has
 * field-level security on them, so the sandbox's secured default (fields hidden until a
 * permission set or an admin grants them) is turned off; the tests of that default turn it on.
 */
export async function startSalesforce(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const sandbox = await startSandbox({ port: 0, crm: 'salesforce', token: TOKEN, ...options });
  await control(sandbox, 'PATCH', '/options', { salesforceFieldSecurity: false });
  return sandbox;
}

/** jsforce exactly as the app configures it: instance URL, access token, API version. */
export function connect(sandbox: RunningSandbox, accessToken = sandbox.token): Connection {
  return new Connection({ instanceUrl: sandbox.url, accessToken, version: VERSION });
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

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: PromiseLike<unknown>): Promise<Error & { errorCode?: string; data?: unknown }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { errorCode?: string };
  }
  throw new Error('expected the call to fail, it succeeded');
}

const JOBS = ['admin.', 'technician', 'services', 'management', 'retired', 'student'];

/**
 * Seed leads built in the test, so expected query answers can be computed from them directly.
 * Every 5th row has no "Job Title"; "Score" is numeric; "Opened At" is an ISO datetime as text.
 */
export function makeLeads(n: number, openFraction = 0.2, now = Date.now()): SeedLead[] {
  const start = now - 730 * 86_400_000;
  const openFrom = n - Math.round(n * openFraction);
  return Array.from({ length: n }, (_, index) => {
    // Whole seconds: Salesforce keeps datetimes to the second, so these are the values it stores.
    const createdAt = Math.floor((start + Math.floor((index * 730 * 86_400_000) / n)) / 1000) * 1000;
    const open = index >= openFrom;
    return {
      index,
      externalId: `L-${1000 + index}`,
      values: {
        'Lead Id': `L-${1000 + index}`,
        'Job Title': index % 5 === 4 ? '' : JOBS[index % JOBS.length],
        Score: String((index * 37) % 100),
        'emp.var.rate': ((index % 7) - 3.5).toFixed(1),
      },
      createdAt,
      outcome: index % 3 === 0 ? 'won' : 'lost',
      open,
      closedAt: open ? null : createdAt + 5 * 86_400_000,
    };
  });
}
