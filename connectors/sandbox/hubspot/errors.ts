import { randomUUID } from 'node:crypto';
import type { Response } from 'express';

/**
 * HubSpot's error envelope (the SDK's `Error` model): status "error", a message, a correlation id
 * and a category, optionally with context, per-field errors and a sub-category.
 */
export interface HubspotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: string;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: Array<Record<string, unknown>>;
  [extra: string]: unknown;
}

export function hubspotError(
  category: string,
  message: string,
  extra: Partial<Omit<HubspotErrorBody, 'status' | 'message' | 'category' | 'correlationId'>> = {},
): HubspotErrorBody {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

export function sendHubspotError(
  res: Response,
  httpStatus: number,
  category: string,
  message: string,
  extra: Parameters<typeof hubspotError>[2] = {},
): void {
  res.status(httpStatus).json(hubspotError(category, message, extra));
}

/**
 * The 429 body HubSpot sends; policyName tells the SDK's retry decorator which wait to use. DAILY
 * it does not retry at all: nothing is answered before the day ends. Its body is the one HubSpot's
 * usage guidelines show (with a requestId, and no groupName given there).
 */
export function rateLimitBody(policy: 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY'): HubspotErrorBody {
  if (policy === 'DAILY') {
    return {
      status: 'error',
      message: 'You have reached your daily limit.',
      errorType: 'RATE_LIMIT',
      correlationId: randomUUID(),
      policyName: policy,
      requestId: randomUUID(),
      category: 'RATE_LIMITS',
    };
  }
  return {
    status: 'error',
    message: policy === 'SECONDLY' ? 'You have reached your secondly limit.' : 'You have reached your ten_secondly_rolling limit.',
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: policy,
    groupName: policy === 'SECONDLY' ? 'publicapi:crm-search' : 'publicapi:app-portal',
    category: 'RATE_LIMITS',
  };
}

export function validationError(res: Response, message: string, extra: Parameters<typeof hubspotError>[2] = {}): void {
  sendHubspotError(res, 400, 'VALIDATION_ERROR', message, extra);
}

export function notFound(res: Response, id: string): void {
  sendHubspotError(res, 404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', { context: { id: [id] } });
}
