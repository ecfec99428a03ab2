import { describe, expect, it } from 'vitest';
import { forwardRequest, tieRequest } from '../../../connectors/hubspot/keyset-requests.js';
import { MAX_FILTERS, MAX_FILTERS_PER_GROUP, MAX_GROUPS } from '../../../connectors/sandbox/hubspot/search-route.js';

/** The app's own searches must stay within the filter limits HubSpot documents (and the sandbox enforces). */
describe("the connector's searches and HubSpot's filter limits", () => {
  const options = { modifiedProperty: 'lastmodifieddate', properties: ['email'], pageSize: 100 };
  it.each([
    ['first page', forwardRequest({ since: '2024-01-01T00:00:00Z', lastId: null } as never, options)],
    ['after a position', forwardRequest({ since: '2024-01-01T00:00:00Z', lastId: '1234' } as never, options)],
    ['ties', tieRequest(Date.parse('2024-01-01T00:00:00Z'), '1234', options)],
  ])('%s', (_name, request) => {
    const groups = request.filterGroups as Array<{ filters: unknown[] }>;
    expect(groups.length).toBeLessThanOrEqual(MAX_GROUPS);
    for (const g of groups) expect(g.filters.length).toBeLessThanOrEqual(MAX_FILTERS_PER_GROUP);
    expect(groups.reduce((n, g) => n + g.filters.length, 0)).toBeLessThanOrEqual(MAX_FILTERS);
  });
});
