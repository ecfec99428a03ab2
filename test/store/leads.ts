import type { LeadRecord } from '../../connectors/types.js';

/** n HubSpot contacts with ids 1..n, modified one second apart from `modifiedAt`. */
export function leads(n: number, options: { from?: number; modifiedAt?: string; job?: string } = {}): LeadRecord[] {
  const start = Date.parse(options.modifiedAt ?? '2024-03-01T00:00:00.000Z');
  return Array.from({ length: n }, (_, i) => {
    const id = String((options.from ?? 1) + i);
    return {
      crm: 'hubspot' as const,
      id,
      createdAt: '2024-01-01T00:00:00.000Z',
      modifiedAt: new Date(start + i * 1000).toISOString(),
      archived: false,
      properties: { email: `lead${id}@example.com`, job: options.job ?? 'admin.', age: String(20 + (i % 40)) },
    };
  });
}
