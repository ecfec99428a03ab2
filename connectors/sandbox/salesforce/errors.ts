import type { Response } from 'express';

/**
 * Salesforce REST errors are always a JSON array of {message, errorCode, fields?}; jsforce reads
 * the first element. Route code throws SalesforceApiError and the router's error handler writes
 * that shape, so no route builds error bodies by hand.
 */
export interface SalesforceErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

export class SalesforceApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
    this.name = 'SalesforceApiError';
  }

  body(): SalesforceErrorBody[] {
    const entry: SalesforceErrorBody = { message: this.message, errorCode: this.errorCode };
    if (this.fields) entry.fields = this.fields;
    return [entry];
  }
}

/** A per-record error, as it appears inside a SaveResult. */
export interface SaveError {
  statusCode: string;
  message: string;
  fields: string[];
}

export class RecordError extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
    this.name = 'RecordError';
  }

  toSaveError(): SaveError {
    return { statusCode: this.statusCode, message: this.message, fields: this.fields };
  }

  /** A record error raised by a single-record call becomes the whole response. */
  toApiError(status = 400): SalesforceApiError {
    return new SalesforceApiError(status, this.statusCode, this.message, this.fields);
  }
}

export function sendSalesforceError(res: Response, err: SalesforceApiError): void {
  res.status(err.status).json(err.body());
}

export const notFound = (): SalesforceApiError =>
  new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

/** Salesforce's 404 for a path, with the sandbox's note that it does not serve it (it may exist in Salesforce). */
export const unserved = (req: { method: string; originalUrl: string }): SalesforceApiError =>
  new SalesforceApiError(404, 'NOT_FOUND', `The requested resource does not exist (the leadlift sandbox does not serve ${req.method} ${req.originalUrl.split('?')[0]})`);

export const malformedQuery = (message: string): SalesforceApiError =>
  new SalesforceApiError(400, 'MALFORMED_QUERY', message);
