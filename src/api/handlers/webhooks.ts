import { NOTIFICATION_EVENT_TYPES, type Delivery, type Webhook as CoreWebhook } from '../../core/notifications/model.js';
import { createWebhookInput, updateWebhookInput } from '../../core/notifications/webhook-service.js';
import { reportLeakInput } from '../../core/tokens/leak-reports.js';
import type { Deleted, LeakReported, Webhook, WebhookDelivery, WebhookDeliveryList, WebhookList, WebhookTestQueued } from '../answers.js';
import type { ApiRoute } from '../route.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const webhookAnswer = (w: CoreWebhook): Webhook => ({ ...w, createdAt: w.createdAt.toISOString() });

const deliveryAnswer = (d: Delivery): WebhookDelivery => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType,
  channel: d.channel,
  status: d.status,
  attempts: d.attempts,
  nextAttemptAt: iso(d.nextAttemptAt),
  lastAttemptAt: iso(d.lastAttemptAt),
  lastStatus: d.lastStatus,
  lastError: d.lastError,
  createdAt: d.createdAt.toISOString(),
});

export const leakReportRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/tokens/report-leak',
    summary: 'Report a token secret found somewhere public: it is revoked at once (no credential needed; the answer is the same for any secret)',
    auth: 'public',
    status: 202,
    body: reportLeakInput,
    async handler({ core, request, ctx }): Promise<LeakReported> {
      await core.leaks.report(request.body, ctx);
      return { message: 'Thank you. If this is a token of this registry, it has been revoked.' };
    },
  },
];

export const webhookRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/webhooks',
    summary: 'The webhooks (admins), with every event one may subscribe to',
    auth: 'principal',
    async handler({ core, principal }): Promise<WebhookList> {
      const webhooks = await core.webhooks.list(principal);
      return { webhooks: webhooks.map(webhookAnswer), events: NOTIFICATION_EVENT_TYPES, email: core.notifications.email };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/webhooks',
    summary: 'Create a webhook (admins): name, http(s) URL, events, optional secret (else generated), format json|slack',
    auth: 'principal',
    status: 201,
    body: createWebhookInput,
    handler: async ({ core, principal, request, ctx }): Promise<Webhook> => webhookAnswer(await core.webhooks.create(principal, request.body, ctx)),
  },
  {
    method: 'GET',
    path: '/api/v1/webhooks/:id',
    summary: 'Show one webhook (admins)',
    auth: 'principal',
    handler: async ({ core, principal, params }): Promise<Webhook> => webhookAnswer(await core.webhooks.get(principal, params.id ?? '')),
  },
  {
    method: 'PATCH',
    path: '/api/v1/webhooks/:id',
    summary: 'Change a webhook (admins): any of name, url, secret, events, format, enabled',
    auth: 'principal',
    body: updateWebhookInput,
    handler: async ({ core, principal, params, request, ctx }): Promise<Webhook> =>
      webhookAnswer(await core.webhooks.update(principal, params.id ?? '', request.body, ctx)),
  },
  {
    method: 'DELETE',
    path: '/api/v1/webhooks/:id',
    summary: 'Delete a webhook and its delivery log (admins)',
    auth: 'principal',
    async handler({ core, principal, params, ctx }): Promise<Deleted> {
      await core.webhooks.delete(principal, params.id ?? '', ctx);
      return { deleted: true };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/webhooks/:id/test',
    summary: 'Queue a webhook.test event for this webhook (admins); its delivery shows in the log',
    auth: 'principal',
    status: 202,
    async handler({ core, principal, params }): Promise<WebhookTestQueued> {
      const { eventId } = await core.webhooks.sendTest(principal, params.id ?? '');
      return { eventId, message: 'Test event queued: see the delivery log' };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/webhooks/:id/deliveries',
    summary: "A webhook's delivery log, newest first (admins): status, attempts, last error",
    auth: 'principal',
    handler: async ({ core, principal, params }): Promise<WebhookDeliveryList> => ({
      deliveries: (await core.webhooks.deliveries(principal, params.id ?? '')).map(deliveryAnswer),
    }),
  },
];
