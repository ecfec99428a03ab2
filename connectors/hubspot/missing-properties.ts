import { z } from 'zod';

/**
 * The property names a 400 VALIDATION_ERROR says do not exist. HubSpot gives its list of invalid
 * values only as JSON text inside the message:
 *   {"status":"error","message":"Property values were not valid: [{\"isValid\":false,
 *    \"message\":\"Property \\\"foo\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",
 *    \"name\":\"foo\"}]","correlationId":"…","category":"VALIDATION_ERROR"}
 * (HubSpot's changelog shows this shape for its property validations). Its error docs describe
 * `errors[]` entries only as message/code/in/context, and document no context key naming a
 * property, so `errors` is not read here.
 */

const valueError = z.object({ error: z.string(), name: z.string() }).passthrough();
type ValueError = z.infer<typeof valueError>;

const MESSAGE_PREFIX = 'Property values were not valid:';

export function missingProperties(body: { category?: string; message?: unknown }): string[] {
  if (body.category !== 'VALIDATION_ERROR') return [];
  const listed = fromList(embeddedList(body.message));
  return [...new Set(listed.filter((e) => e.error === 'PROPERTY_DOESNT_EXIST').map((e) => e.name))];
}

/** The well-formed entries of a list; anything else in it says nothing about missing properties. */
function fromList(value: unknown): ValueError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const parsed = valueError.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

function embeddedList(message: unknown): unknown {
  if (typeof message !== 'string' || !message.startsWith(MESSAGE_PREFIX)) return undefined;
  try {
    return JSON.parse(message.slice(MESSAGE_PREFIX.length));
  } catch {
    return undefined;
  }
}
