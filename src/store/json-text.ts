/** JSON is kept as text on both back ends; these name the two directions at the call sites. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value);
}

export function fromJsonText<T>(text: string): T;
export function fromJsonText<T>(text: string | null): T | null;
export function fromJsonText<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}
