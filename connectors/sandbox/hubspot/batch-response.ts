/** A StandardError in a batch response's `errors` list. */
export function batchError(category: string, message: string, context: Record<string, string[]>): Record<string, unknown> {
  return { status: 'error', category, message, context, links: {}, errors: [] };
}

/**
 * BatchResponseSimplePublicObject(WithErrors): HTTP 207 with the errors when any input failed,
 * otherwise the endpoint's success status.
 */
export function batchResult(
  okStatus: number,
  results: unknown[],
  errors: Array<Record<string, unknown>>,
  startedAt: number,
  completedAt: number,
): { status: number; body: Record<string, unknown> } {
  const body: Record<string, unknown> = {
    status: 'COMPLETE',
    results,
    startedAt: new Date(startedAt).toISOString(),
    completedAt: new Date(completedAt).toISOString(),
  };
  if (errors.length === 0) return { status: okStatus, body };
  return { status: 207, body: { ...body, numErrors: errors.length, errors } };
}
