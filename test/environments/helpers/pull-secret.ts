/** The docker config a Kubernetes pull-secret manifest carries, decoded from its `.dockerconfigjson`. */
export function dockerConfigOf(manifest: string): { auths: Record<string, { username: string; password: string; auth: string }> } {
  const line = manifest.split('\n').find((l) => l.trim().startsWith('.dockerconfigjson:'));
  if (!line) throw new Error(`no .dockerconfigjson in ${manifest}`);
  return JSON.parse(Buffer.from(line.split(':')[1]?.trim() ?? '', 'base64').toString('utf8')) as ReturnType<typeof dockerConfigOf>;
}
