import { MAX_CHART_BYTES } from '../../core/helm/charts.js';
import { download, indexYaml, post, put, remove } from './handlers.js';
import type { HelmRoute } from './route.js';

/** A chart's name, where the path says it; the index, a download by file name and uploads act on every chart. */
const named = (params: Record<string, string>) => params.name ?? '*';

/** The chart repository (and ChartMuseum's upload API), relative to each prefix. */
export const HELM_ROUTES: HelmRoute[] = [
  { method: 'GET', path: '/index.yaml', action: 'pull', handler: indexYaml },
  { method: 'GET', path: '/charts/:filename', action: 'pull', handler: download },
  // Chart archives stream to the blob store; Chart.yaml inside names the chart.
  { method: 'PUT', path: '/charts/:filename', action: 'push', bodyLimit: MAX_CHART_BYTES, handler: put },
  { method: 'POST', path: '/api/charts', action: 'push', bodyLimit: MAX_CHART_BYTES, handler: post },
  { method: 'DELETE', path: '/api/charts/:name/:version', action: 'delete', resource: named, handler: remove },
];
