/**
 * HubSpot's JSON binding refuses a batch whose input lacks its required `id`
 * (SimplePublicObjectId, SimplePublicObjectBatchInput) before touching any record: a 400
 * VALIDATION_ERROR "Invalid input JSON on line 1, column N: Some required fields were not set: [id]".
 * The sandbox names the input's index where HubSpot names the JSON's line and column. An id that
 * is present but names no record is not this error: it fails alone in the batch's 207.
 */
export function missingIdMessage(inputs: readonly unknown[]): string | null {
  const at = inputs.findIndex((input) => {
    const id = (input as { id?: unknown } | null | undefined)?.id;
    return id === undefined || id === null;
  });
  return at < 0 ? null : `Invalid input JSON: inputs[${at}]. Some required fields were not set: [id]`;
}
