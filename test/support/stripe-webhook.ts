import { createServer } from 'node:http';
import { handler as webhook } from '../../functions/events/payment-webhook';
import { routes } from '../../functions/routes';
import { createGateway } from '../../scripts/local/gateway';
import { startStripeStandin, type StripeStandin } from '../../scripts/local/stripe-standin';

/**
 * The local Stripe stand-in, with its signed webhooks delivered to the real webhook handler
 * through the local gateway on a loopback port; the functions' Stripe SDK points at it.
 */
export async function startStripeWithWebhook(): Promise<{ stripe: StripeStandin; webhookUrl: string; stop(): Promise<void> }> {
  const gateway = createGateway({
    routes: routes.filter((r) => r.id === 'PaymentWebhook'),
    loadHandler: async () => webhook,
    adminToken: 'unused-admin-token',
    jwt: { issuer: 'http://127.0.0.1:9', audience: [] },
  });
  const hook = createServer((req, res) => void gateway(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')).then((handled) => handled || res.writeHead(404).end()));
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  const webhookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/api/payments/webhook`;
  const stripe = await startStripeStandin({
    checkoutPageUrl: (id) => `${process.env.PUBLIC_ORIGIN}/dev/checkout/${id}`,
    webhookUrl: () => webhookUrl,
    webhookSecret: () => process.env.STRIPE_WEBHOOK_SECRET!,
    secretKey: () => process.env.STRIPE_SECRET_KEY!,
  });
  process.env.STRIPE_API_BASE = stripe.apiBase;
  return {
    stripe,
    webhookUrl,
    async stop() {
      await stripe.stop();
      hook.closeAllConnections();
      await new Promise<void>((r) => hook.close(() => r()));
    },
  };
}
