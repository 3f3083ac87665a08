import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { originVerifyValues } from '../adapters/secrets';
import { logger } from './logger';

/**
 * The client's address, for the per-address limits (login, support). Behind CloudFront the API
 * sees an edge server's address, shared by many students; CloudFront forwards the viewer's own
 * in `CloudFront-Viewer-Address` (origin request policy, lib/constructs/web-hosting.ts) along with
 * the origin-verify secret header. That header is trusted only when the secret matches (current
 * or previous value, so a rotation never locks anyone out); anything else — a direct call to the
 * API, a forged header — gets the connection's address. Locally that is the socket's address
 * (scripts/local/gateway.ts: 127.0.0.2 is another client than 127.0.0.1).
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** `198.51.100.7:46532` or `2001:db8::1:46532` (CloudFront's format) → the address alone. */
export function viewerAddressOf(header: string): string | undefined {
  const at = header.lastIndexOf(':');
  const address = (at > 0 ? header.slice(0, at) : '').replace(/^\[|\]$/g, '');
  return /^[0-9a-fA-F.:]{2,45}$/.test(address) ? address : undefined;
}

const plain = (ip: string) => ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

export async function clientAddress(event: APIGatewayProxyEventV2): Promise<string> {
  const socket = plain(event.requestContext?.http?.sourceIp ?? 'unknown');
  const headers = event.headers ?? {};
  const proof = headers[ORIGIN_VERIFY_HEADER];
  const viewer = headers[VIEWER_ADDRESS_HEADER];
  if (!proof || !viewer) return socket;
  const secrets = await originVerifyValues();
  if (!secrets.some((s) => same(s, proof))) {
    logger.warn('Origin-verify header refused: the forwarded viewer address is ignored');
    return socket;
  }
  return plain(viewerAddressOf(viewer) ?? socket);
}
