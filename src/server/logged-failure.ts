/**
 * body-parser's failures, in words that quote nothing of the body. Its message for a JSON
 * syntax error is JSON.parse's, which quotes the characters around the fault: a login posted as
 * broken JSON put part of the password in the log. It parses before the CSRF check, so anyone
 * can send such a body.
 */
const BODY_FAILURES: Record<string, string> = {
  'entity.parse.failed': 'the request body is not valid JSON',
  'entity.too.large': 'the request body is larger than this page accepts',
  'parameters.too.many': 'the form has more fields than this page accepts',
  'charset.unsupported': 'the request body is in a character set the server does not read',
  'encoding.unsupported': 'the request body is compressed in a way the server does not read',
  'request.aborted': 'the client stopped sending the request body',
  'request.size.invalid': 'the request body is shorter or longer than its Content-Length said',
};

/** What the log says of a request's failure: the error's message, unless it may quote the request body. */
export function loggedFailure(err: unknown): string {
  const type = (err as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && (type in BODY_FAILURES || (err as { body?: unknown }).body !== undefined)) {
    return `${BODY_FAILURES[type] ?? 'the request body was refused'} (${type})`;
  }
  return err instanceof Error ? err.message : String(err);
}
