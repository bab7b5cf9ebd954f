import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import type { FileEdit } from './docker-config.js';

/**
 * Adds this registry to helm's repositories.yaml as `helm repo add` would (name, URL, username,
 * password): an entry of the same name is replaced, other repositories and the file's comments stay.
 * Run `helm repo update` afterwards to fetch its index.
 */
export function editHelmRepositories(existing: string | null, name: string, url: string, username: string, secret: string): FileEdit {
  const doc = parseDocument(existing && existing.trim() !== '' ? existing : 'apiVersion: ""\nrepositories: []\n');
  if (doc.errors.length > 0 || !isMap(doc.contents)) throw new Error('repositories.yaml is not a YAML mapping: fix or move it first');
  const entry = {
    name,
    url,
    username,
    password: secret,
    caFile: '',
    certFile: '',
    keyFile: '',
    insecure_skip_tls_verify: false,
    pass_credentials_all: false,
  };
  let repositories = doc.get('repositories');
  if (!isSeq(repositories)) {
    repositories = new YAMLSeq();
    doc.set('repositories', repositories);
  }
  const seq = repositories as YAMLSeq;
  const notes: string[] = [];
  const at = seq.items.findIndex((item) => isMap(item) && (item as YAMLMap).get('name') === name);
  if (at >= 0) {
    seq.items[at] = doc.createNode(entry);
    notes.push(`replaced the existing helm repository ${name}`);
  } else {
    seq.items.push(doc.createNode(entry));
  }
  doc.set('generated', new Date().toISOString());
  notes.push(`run helm repo update, then helm install <release> ${name}/<chart>`);
  const fragment = `repositories:\n- name: ${name}\n  url: ${url}\n  username: ${username}\n  password: ${secret}\n`;
  return { content: doc.toString(), fragment, notes };
}
