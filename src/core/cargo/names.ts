import { Errors } from '../errors.js';

/** crates.io's rule: ASCII letters, digits, `-` and `_`, starting with a letter, at most 64 characters. */
const CRATE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export function checkCrateName(name: string): void {
  if (!CRATE_NAME.test(name)) {
    throw Errors.validation(`invalid crate name ${JSON.stringify(name)}: use ASCII letters, digits, - and _, starting with a letter, at most 64 characters`);
  }
}

export function checkCrateVersion(version: string): void {
  if (!SEMVER.test(version)) throw Errors.validation(`invalid version ${JSON.stringify(version)}: crate versions are semantic versions (1.2.3, 1.2.3-rc.1)`);
}

/** crates.io treats `-` and `_`, and letter case, as the same: one crate per normalised name. */
export function normalizeCrateName(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

/** The sparse index's file for a crate (its lower-cased name): 1/a, 2/ab, 3/a/abc, ab/cd/abcd… */
export function indexPath(name: string): string {
  const n = name.toLowerCase();
  if (n.length === 1) return `1/${n}`;
  if (n.length === 2) return `2/${n}`;
  if (n.length === 3) return `3/${n[0]}/${n}`;
  return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
}
