import type { HttpMethod, ProtocolRoute } from './route.js';

interface CompiledRoute<C, S> {
  route: ProtocolRoute<C, S>;
  pattern: RegExp;
  names: string[];
  /** The path's fixed start (up to its first parameter) and end (after its last): cheap tests before the pattern's. */
  start: string;
  end: string;
  /** How many `/` a matching path holds, when every parameter is one segment (none may hold `/`). */
  slashes: number | undefined;
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
      const full = `${prefix}${route.path}`;
      // Split on the parameters: fixed text at even indexes, parameters at odd ones.
      const parts = full.split(params);
      const source = parts
        .map((part, i) => {
          if (i % 2 === 0) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          if (syntax === 'fastify' && part === '*') {
            names.push('*');
            return '(.*)';
          }
          const name = part.slice(1, syntax === 'kit' ? -1 : undefined);
          names.push(name);
          if (syntax === 'fastify') return '([^/]+)';
          return name === 'name' ? '(.+?)' : '([^/]*)';
        })
        .join('');
      // Fastify's `*` and the kit's `<name>` may span segments; every other parameter is one.
      const spansSegments = names.includes('*') || (syntax === 'kit' && names.includes('name'));
      return {
        route,
        pattern: new RegExp(`^${source}$`),
        names,
        start: parts[0] ?? '',
        end: parts.length > 1 ? (parts[parts.length - 1] ?? '') : '',
        // Parameter names hold no `/`: the route's own count is the count of every path it matches.
        slashes: spansSegments ? undefined : slashesIn(full),
      };
    });
  }

  /**
   * The route of this method that matches the path when it is the only one that does; undefined when none
   * or several do (where Fastify's router would rank them, the memory lane leaves the request to it).
   */
  matchOnly(method: string, path: string): RouteMatch<C, S> | undefined {
    let found: RouteMatch<C, S> | undefined;
    const slashes = slashesIn(path);
    for (const compiled of this.compiled) {
      if (compiled.route.method !== method) continue;
      const params = paramsIfMatching(compiled, path, slashes);
      if (!params) continue;
      if (found) return undefined;
      found = { route: compiled.route, params };
    }
    return found;
  }

  /** The matching route for the method, or which methods the path supports when none matches it. */
  match(method: string, path: string): RouteMatch<C, S> | { allowed: HttpMethod[] } {
    // The first route of this method that matches (the table's order), tested cheaply by its fixed text first;
    // only a path no such route matches is tried against the others, for the methods it does support.
    const slashes = slashesIn(path);
    for (const compiled of this.compiled) {
      if (compiled.route.method !== method) continue;
      const params = paramsIfMatching(compiled, path, slashes);
      if (params) return { route: compiled.route, params };
    }
    const allowed: HttpMethod[] = [];
    for (const { route, pattern } of this.compiled) if (route.method !== method && pattern.test(path)) allowed.push(route.method);
    return { allowed };
  }
}

/**
 * The route's parameters when the path matches it, else undefined. The pattern runs only on a path with the
 * route's fixed start and end and, when no parameter may hold `/`, its number of segments: most routes of a
 * table fail one of those tests, which cost far less than a regular expression.
 */
function paramsIfMatching<C, S>(compiled: CompiledRoute<C, S>, path: string, slashes: number): Record<string, string> | undefined {
  const { start, end } = compiled;
  // No parameters: the path is the route's, exactly.
  if (compiled.names.length === 0) return path === start ? {} : undefined;
  if (path.length < start.length + end.length || !path.startsWith(start) || !path.endsWith(end)) return undefined;
  if (compiled.slashes !== undefined && compiled.slashes !== slashes) return undefined;
  const m = compiled.pattern.exec(path);
  return m ? paramsOf(compiled.names, m) : undefined;
}

function slashesIn(text: string): number {
  let count = 0;
  for (let i = text.indexOf('/'); i >= 0; i = text.indexOf('/', i + 1)) count++;
  return count;
}

function paramsOf(names: readonly string[], m: RegExpExecArray): Record<string, string> {
  const params: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) params[names[i] as string] = m[i + 1] ?? '';
  return params;
}
