import { parse } from 'yaml';
import { z } from 'zod';
import { Errors } from '../errors.js';

/** Helm's chart name rule (lower-case letters, digits and dashes) and SemVer 2 versions. */
const CHART_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SEMVER = /^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

const maintainer = z.object({ name: z.string(), email: z.string().optional(), url: z.string().optional() });
const dependency = z.object({
  name: z.string(),
  version: z.string().optional(),
  repository: z.string().optional(),
  condition: z.string().optional(),
  tags: z.array(z.string()).optional(),
  alias: z.string().optional(),
});

/** The Chart.yaml fields the index carries (helm's chart Metadata); unknown keys are dropped. */
const chartMetadataSchema = z.object({
  apiVersion: z.enum(['v1', 'v2']),
  name: z.string().regex(CHART_NAME, 'must be lower-case letters, digits and dashes'),
  version: z.string().regex(SEMVER, 'must be a semantic version'),
  kubeVersion: z.string().optional(),
  description: z.string().optional(),
  type: z.enum(['application', 'library']).optional(),
  keywords: z.array(z.string()).optional(),
  home: z.string().optional(),
  sources: z.array(z.string()).optional(),
  dependencies: z.array(dependency).optional(),
  maintainers: z.array(maintainer).optional(),
  icon: z.string().optional(),
  appVersion: z.union([z.string(), z.number()]).transform(String).optional(),
  deprecated: z.boolean().optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ChartMetadata = z.infer<typeof chartMetadataSchema>;

/** Parses a chart's Chart.yaml (aliases bounded, so a "billion laughs" file costs nothing). */
export function parseChartYaml(bytes: Buffer): ChartMetadata {
  let value: unknown;
  try {
    value = parse(bytes.toString('utf8'), { maxAliasCount: 50 });
  } catch (error) {
    throw Errors.validation(`Invalid chart: Chart.yaml is not valid YAML (${error instanceof Error ? error.message.split('\n')[0] : 'unreadable'})`);
  }
  const parsed = chartMetadataSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw Errors.validation(`Invalid chart: Chart.yaml ${issue ? `${issue.path.join('.') || 'document'}: ${issue.message}` : 'is malformed'}`);
  }
  return parsed.data;
}

export const chartFilename = (name: string, version: string) => `${name}-${version}.tgz`;
