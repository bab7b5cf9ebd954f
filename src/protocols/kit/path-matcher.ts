import type { HttpMethod, ProtocolRoute } from './route.js';

interface CompiledRoute<C, S> {
  route: ProtocolRoute<C, S>;
  pattern: RegExp;
  names: string[];
  /** The path's fixed start (up to its first parameter): a cheap test before the pattern's. */
  start: string;
}

export interface RouteMatch<C, S = undefined> {
  route: ProtocolRoute<C, S>;
  params: Record<string, string>;
}

/**
 * Matches raw request paths against a route table, for protocols whose names contain `/` (OCI repository
 * names), which Fastify's router cannot express. Each path is an anchored pattern: `<name>` takes everything
 * up to the route's fixed suffix, other parameters one segment. Nothing is percent-decoded: such names have
 * no use for `%`, and validation refuses it.
 */
export class PathMatcher<C, S = undefined> {
  private readonly compiled: CompiledRoute<C, S>[];

  /**
   * `syntax`: 'kit' reads `<name>` (may hold `/`) and `<param>` (one segment, may be empty); 'fastify' reads
   * Fastify's `:param` (one non-empty segment) and a trailing `*` (the rest, as param `*`), for the memory
   * lane's copy of a Fastify-routed table.
   */
  constructor(routes: readonly ProtocolRoute<C, S>[], prefix: string, syntax: 'kit' | 'fastify' = 'kit') {
    const params = syntax === 'kit' ? /(<[a-z]+>)/ : /(:[A-Za-z]+|\*)/;
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = `${prefix}${route.path}`
        .split(params)
        .map((part) => {
          if (syntax === 'fastify' && part === '*') {
            names.push('*');
            return '(.*)';
          }
          const param = syntax === 'kit' ? /^<([a-z]+)>$/.exec(part) : /^:([A-Za-z]+)$/.exec(part);
          if (!param?.[1]) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(param[1]);
          if (syntax === 'fastify') return '([^/]+)';
          return param[1] === 'name' ? '(.+?)' : '([^/]*)';
        })
        .join('');
      const full = `${prefix}${route.path}`;
      const firstParam = syntax === 'kit' ? full.indexOf('<') : Math.min(...[full.indexOf(':'), full.indexOf('*')].map((i) => (i < 0 ? full.length : i)));
      return { route, pattern: new RegExp(`^${source}$`), names, start: full.slice(0, firstParam < 0 ? full.length : firstParam) };
    });
  }

  /**
   * The route of this method that matches the path when it is the only one that does; undefined when none
   * or several do (where Fastify's router would rank them, the memory lane leaves the request to it).
   */
  matchOnly(method: string, path: string): RouteMatch<C, S> | undefined {
    let found: RouteMatch<C, S> | undefined;
    for (const { route, pattern, names, start } of this.compiled) {
      if (route.method !== method || !path.startsWith(start)) continue;
      const m = pattern.exec(path);
      if (!m) continue;
      if (found) return undefined;
      found = { route, params: paramsOf(names, m) };
    }
    return found;
  }

  /** The matching route for the method, or which methods the path supports when none matches it. */
  match(method: string, path: string): RouteMatch<C, S> | { allowed: HttpMethod[] } {
    // The first route of this method that matches (the table's order), tested cheaply by its fixed start first;
    // only a path no such route matches is tried against the others, for the methods it does support.
    for (const { route, pattern, names, start } of this.compiled) {
      if (route.method !== method || !path.startsWith(start)) continue;
      const m = pattern.exec(path);
      if (m) return { route, params: paramsOf(names, m) };
    }
    const allowed: HttpMethod[] = [];
    for (const { route, pattern } of this.compiled) if (route.method !== method && pattern.test(path)) allowed.push(route.method);
    return { allowed };
  }
}

function paramsOf(names: readonly string[], m: RegExpExecArray): Record<string, string> {
  const params: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) params[names[i] as string] = m[i + 1] ?? '';
  return params;
}
