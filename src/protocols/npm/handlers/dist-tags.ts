import type { NpmContext } from '../route.js';

export const listDistTags = (c: NpmContext) => c.registry.distTags(c.name);

export async function addDistTag(c: NpmContext): Promise<unknown> {
  const tags = await c.registry.setDistTag(c.principal, c.name, c.params.tag ?? '', c.body, c.ctx);
  return c.reply.status(201).send({ ok: true, id: c.name, 'dist-tags': tags });
}

export async function removeDistTag(c: NpmContext): Promise<unknown> {
  return { ok: true, id: c.name, 'dist-tags': await c.registry.removeDistTag(c.principal, c.name, c.params.tag ?? '', c.ctx) };
}
