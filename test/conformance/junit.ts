/**
 * Reads the JUnit report the OCI conformance suite writes (results/junit.xml): one <testcase> per leaf case
 * with a status attribute (passed, skipped, failure, error) and, for cases that did not pass, the reasons
 * in <system-out>. Go's encoding/xml writes it, so attribute order and escaping are fixed and a small
 * reader is enough.
 */
export interface ConformanceCase {
  name: string;
  status: 'passed' | 'skipped' | 'failure' | 'error';
  /** Why it failed or was skipped, as the suite said it. */
  reason: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? whole;
  });
}

export function parseJunit(xml: string): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const testcase = /<testcase name="([^"]*)"[^>]*? status="([a-z]+)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const [, name, status, body] of xml.matchAll(testcase)) {
    if (status !== 'passed' && status !== 'skipped' && status !== 'failure' && status !== 'error') {
      throw new Error(`unknown conformance status ${status} for ${name}`);
    }
    const out = /<system-out>([\s\S]*?)<\/system-out>/.exec(body ?? '');
    cases.push({ name: unescapeXml(name ?? ''), status, reason: unescapeXml(out?.[1] ?? '').trim() });
  }
  return cases;
}
