/** The body of Cargo's `PUT /api/v1/crates/new`: JSON metadata and the .crate, each after its u32 LE length. */
export function cargoPublishBody(meta: Record<string, unknown>, crate: Buffer, declaredLength = crate.length): Buffer {
  const json = Buffer.from(JSON.stringify(meta));
  const a = Buffer.alloc(4);
  a.writeUInt32LE(json.length);
  const b = Buffer.alloc(4);
  b.writeUInt32LE(declaredLength);
  return Buffer.concat([a, json, b, crate]);
}
