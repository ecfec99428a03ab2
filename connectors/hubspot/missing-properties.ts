import { z } from 'zod';

/**
 * The property names a 400 VALIDATION_ERROR says do not exist. HubSpot embeds its list of
 * invalid values in the message ("Property values were not valid: [{...}]") and may also give it
 * as `errors`; either is read, so a missing property is recognised whichever the portal sends.
 */

const valueError = z.object({ error: z.string(), name: z.string() }).passthrough();
type ValueError = z.infer<typeof valueError>;

const MESSAGE_PREFIX = 'Property values were not valid:';

export function missingProperties(body: { category?: string; message?: unknown; errors?: unknown }): string[] {
  if (body.category !== 'VALIDATION_ERROR') return [];
  const listed = [...fromList(body.errors), ...fromList(embeddedList(body.message))];
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
