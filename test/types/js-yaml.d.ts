// js-yaml ships no types (and @types/js-yaml is not a dependency): the one function the tests use.
declare module 'js-yaml' {
  export function loadAll(input: string): unknown[];
}
