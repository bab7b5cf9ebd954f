/** How the dashboard names a protocol; protocols it does not know yet show the label the API sends. */
export const PROTOCOL_TONE: Record<string, 'blue' | 'red' | 'violet' | 'green' | 'amber'> = { oci: 'blue', npm: 'red', pypi: 'violet' };

export const toneOf = (protocol: string) => PROTOCOL_TONE[protocol] ?? 'green';

/** Bytes as people read them (1.4 MB). */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export const shortDigest = (digest: string) => digest.slice(0, digest.indexOf(':') + 13);

export const packagePath = (protocol: string, name: string) => `/packages/${encodeURIComponent(protocol)}/${encodeURIComponent(name)}`;
