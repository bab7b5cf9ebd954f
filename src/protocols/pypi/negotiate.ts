import { SIMPLE_CONTENT_TYPES } from '../../core/pypi/simple-index.js';

export type SimpleFormat = 'json' | 'html' | 'legacyHtml';

/** What we can answer, in our order of preference when the client likes several equally. */
interface Offer {
  format: SimpleFormat;
  type: string;
}

const OFFERS: Offer[] = [
  { format: 'legacyHtml', type: SIMPLE_CONTENT_TYPES.legacyHtml },
  { format: 'html', type: SIMPLE_CONTENT_TYPES.html },
  { format: 'json', type: SIMPLE_CONTENT_TYPES.json },
];

interface Range {
  type: string;
  subtype: string;
  q: number;
  position: number;
}

const MAX_RANGES = 32;

function parseAccept(header: string): Range[] {
  const ranges: Range[] = [];
  for (const [position, part] of header.split(',').slice(0, MAX_RANGES).entries()) {
    const [media, ...params] = part.split(';').map((s) => s.trim());
    const slash = media ? media.indexOf('/') : -1;
    if (!media || slash <= 0) continue;
    let q = 1;
    for (const param of params) {
      const match = /^q\s*=\s*([0-9.]+)$/i.exec(param);
      if (match) q = Math.min(1, Math.max(0, Number(match[1]) || 0));
    }
    ranges.push({ type: media.slice(0, slash).toLowerCase(), subtype: media.slice(slash + 1).toLowerCase(), q, position });
  }
  return ranges;
}

/** How specifically a range names a type: exact 2, `type/*` 1, `*\/*` 0, no match -1. */
function specificity(range: Range, mediaType: string): number {
  const [type, subtype] = mediaType.split('/');
  if (range.type === '*' && range.subtype === '*') return 0;
  if (range.type !== type) return -1;
  if (range.subtype === '*') return 1;
  return range.subtype === subtype ? 2 : -1;
}

/** Answers already negotiated, by Accept header (see negotiateSimpleFormat). */
const MAX_REMEMBERED = 64;
const MAX_REMEMBERED_LENGTH = 512;
const remembered = new Map<string, Offer | null>();

/**
 * PEP 691 content negotiation over the three types the Simple API allows. Each offer takes the q of the
 * most specific range matching it; the highest q wins, then the more specific match, then the client's
 * order, then ours (HTML first, as PEP 691 suggests for unspecific clients). No Accept header → HTML.
 * Returns null when nothing acceptable is offered (→ 406).
 */
export function negotiateSimpleFormat(accept: string | undefined): Offer | null {
  if (!accept || !accept.trim()) return OFFERS[0] as Offer;
  // A client sends the same Accept on every request, and few clients exist: remember the answer for the
  // short ones (bounded in count, so varied headers cost memory for no one).
  if (accept.length > MAX_REMEMBERED_LENGTH) return negotiate(accept);
  let chosen = remembered.get(accept);
  if (chosen === undefined) {
    chosen = negotiate(accept);
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(accept, chosen);
  }
  return chosen;
}

function negotiate(accept: string): Offer | null {
  const ranges = parseAccept(accept);
  let best: { offer: Offer; q: number; spec: number; position: number; rank: number } | null = null;
  for (const [rank, offer] of OFFERS.entries()) {
    let match: Range | undefined;
    let matchSpec = -1;
    for (const range of ranges) {
      const spec = specificity(range, offer.type);
      if (spec > matchSpec) [match, matchSpec] = [range, spec];
    }
    if (!match || match.q <= 0) continue;
    const candidate = { offer, q: match.q, spec: matchSpec, position: match.position, rank };
    if (
      !best ||
      candidate.q > best.q ||
      (candidate.q === best.q && candidate.spec > best.spec) ||
      (candidate.q === best.q && candidate.spec === best.spec && candidate.position < best.position)
    ) {
      best = candidate;
    }
  }
  return best ? best.offer : null;
}
