import { createServer, type IncomingMessage } from 'node:http';

/** What the recorder answers to one request. */
export interface RecorderAnswer {
  status: number;
  body: unknown;
}

/**
 * A loopback HTTP server standing where Stripe's API is, for the Stripe adapter's tests: it keeps
 * every request (as `record` shapes it) and answers the queued `answers` in order, then
 * `fallback()`. Its answers say `stripe-should-retry: false`, so the SDK never waits to retry.
 */
export function stripeRecorder<R>(o: { record: (req: IncomingMessage, body: string) => R; fallback: () => RecorderAnswer }) {
  const requests: R[] = [];
  const answers: RecorderAnswer[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      requests.push(o.record(req, body));
      const answer = answers.shift() ?? o.fallback();
      res.writeHead(answer.status, { 'content-type': 'application/json', 'request-id': 'req_rec', 'stripe-should-retry': 'false' });
      res.end(JSON.stringify(answer.body));
    });
  });
  let base = '';
  return {
    /** Filled in arrival order; emptied by `reset`. */
    requests,
    /** Answers still to give, in order; emptied by `reset`. */
    answers,
    /** The API base to point STRIPE_API_BASE at (after `start`). */
    get base() {
      return base;
    },
    async start() {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    },
    /** Forgets the requests and answers, and points the adapter at the recorder. */
    reset() {
      requests.length = 0;
      answers.length = 0;
      process.env.STRIPE_API_BASE = base;
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
