/** Typed arrays <-> base64 for the saved model (little-endian bytes, as every supported CPU is). */
type TypedArray = Int32Array | Float64Array | Uint8Array;

export function toBase64(array: TypedArray): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

export function fromBase64<T extends TypedArray>(text: string, Kind: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): T | null {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % Kind.BYTES_PER_ELEMENT !== 0) return null;
  // Copy into a fresh buffer: Buffer's pool offset need not be aligned for 4- or 8-byte views.
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return new Kind(copy);
}
