import { HELM_LISTING, MAX_CHART_BYTES } from '../../core/helm/charts.js';
import { download, indexYaml, indexYamlFromMemory, post, put, remove } from './handlers.js';
import type { HelmRoute } from './route.js';

/** A chart's name, where the path says it. */
const named = (params: Record<string, string>) => params.name ?? '*';
/**
 * The index, a download by file name and uploads name no chart in their path: the guard checks the caller
 * may act on some chart, and core shows or authorizes the chart itself (the file's, or its Chart.yaml's).
 */
const listing = () => HELM_LISTING;

/** The chart repository (and ChartMuseum's upload API), relative to each prefix. */
export const HELM_ROUTES: HelmRoute[] = [
  { method: 'GET', path: '/index.yaml', action: 'pull', resource: listing, handler: indexYaml, fromMemory: indexYamlFromMemory },
  { method: 'GET', path: '/charts/:filename', action: 'pull', resource: listing, handler: download },
  // Chart archives stream to the blob store; Chart.yaml inside names the chart.
  { method: 'PUT', path: '/charts/:filename', action: 'push', resource: listing, bodyLimit: MAX_CHART_BYTES, handler: put },
  { method: 'POST', path: '/api/charts', action: 'push', resource: listing, bodyLimit: MAX_CHART_BYTES, handler: post },
  { method: 'DELETE', path: '/api/charts/:name/:version', action: 'delete', resource: named, handler: remove },
];
