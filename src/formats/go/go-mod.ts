/**
 * The few go.mod directives the registry reads: `module` (must name the module being published), `go`
 * (which file-omission rules apply in the zip) and `retract` (versions the author withdrew). A line
 * parser, not a full go.mod grammar: anything it does not know is skipped, never rewritten — the file is
 * stored and served exactly as written.
 */

export interface RetractedRange {
  low: string;
  high: string;
  rationale: string;
}

export interface GoModSummary {
  module: string | null;
  go: string | null;
  retract: RetractedRange[];
}

/** Splits a line into its tokens and the text of its trailing // comment. */
function tokens(line: string): { words: string[]; comment: string } {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
    } else if (line.startsWith('//', i)) {
      return { words, comment: line.slice(i + 2).trim() };
    } else if (ch === '"' || ch === '`') {
      const end = line.indexOf(ch, i + 1);
      const stop = end < 0 ? line.length : end;
      words.push(line.slice(i + 1, stop));
      i = stop + 1;
    } else if ('()[],'.includes(ch)) {
      words.push(ch);
      i++;
    } else {
      let j = i;
      while (j < line.length && !' \t\r"`()[],'.includes(line[j] as string) && !line.startsWith('//', j)) j++;
      words.push(line.slice(i, j));
      i = j;
    }
  }
  return { words, comment: '' };
}

function retraction(words: string[], comment: string): RetractedRange | undefined {
  if (words.length === 1) return { low: words[0] as string, high: words[0] as string, rationale: comment };
  if (words.length === 5 && words[0] === '[' && words[2] === ',' && words[4] === ']') {
    return { low: words[1] as string, high: words[3] as string, rationale: comment };
  }
  return undefined;
}

export function readGoMod(text: string): GoModSummary {
  const summary: GoModSummary = { module: null, go: null, retract: [] };
  let block: string | null = null;
  for (const line of text.split('\n')) {
    const { words, comment } = tokens(line);
    if (words.length === 0) continue;
    if (block !== null) {
      if (words[0] === ')') block = null;
      else if (block === 'retract') {
        const r = retraction(words, comment);
        if (r) summary.retract.push(r);
      }
      continue;
    }
    const [verb, ...rest] = words;
    if (rest[0] === '(') {
      block = verb as string;
      continue;
    }
    if (verb === 'module' && rest.length === 1) summary.module = rest[0] as string;
    else if (verb === 'go' && rest.length === 1) summary.go = rest[0] as string;
    else if (verb === 'retract') {
      const r = retraction(rest, comment);
      if (r) summary.retract.push(r);
    }
  }
  return summary;
}

/** Whether the go directive says Go 1.24 or later (vendor/modules.txt and nested vendor rules changed then). */
export function goAtLeast124(go: string | null): boolean {
  const m = go ? /^1\.([0-9]+)/.exec(go) : null;
  return m ? Number(m[1]) >= 24 : false;
}
