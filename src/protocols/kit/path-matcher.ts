import type { HttpMethod, ProtocolRoute } from './route.js';

interface CompiledRoute<C> {
  route: ProtocolRoute<C>;
  pattern: RegExp;
  names: string[];
}

export interface RouteMatch<C> {
  route: ProtocolRoute<C>;
  params: Record<string, string>;
}

/**
 * Matches raw request paths against a route table, for protocols whose names contain `/` (OCI repository
 * names), which Fastify's router cannot express. Each path is an anchored pattern: `<name>` takes everything
 * up to the route's fixed suffix, other parameters one segment. Nothing is percent-decoded: such names have
 * no use for `%`, and validation refuses it.
 */
export class PathMatcher<C> {
  private readonly compiled: CompiledRoute<C>[];

  constructor(routes: readonly ProtocolRoute<C>[], prefix: string) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = `${prefix}${route.path}`
        .split(/(<[a-z]+>)/)
        .map((part) => {
          const param = /^<([a-z]+)>$/.exec(part);
          if (!param?.[1]) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(param[1]);
          return param[1] === 'name' ? '(.+?)' : '([^/]*)';
        })
        .join('');
      return { route, pattern: new RegExp(`^${source}$`), names };
    });
  }

  /** The matching route for the method, or which methods the path supports when none matches it. */
  match(method: string, path: string): RouteMatch<C> | { allowed: HttpMethod[] } {
    const allowed: HttpMethod[] = [];
    for (const { route, pattern, names } of this.compiled) {
      const m = pattern.exec(path);
      if (!m) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      names.forEach((name, i) => (params[name] = m[i + 1] ?? ''));
      return { route, params };
    }
    return { allowed };
  }
}
