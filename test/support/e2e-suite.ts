/**
 * The set-up every browser test file shares: the pages built, one local runtime and one
 * Chromium for the file, a fresh context per page, and no page error or CSP refusal left
 * unreported after each test.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { buildWeb } from '../../scripts/build-web';
import { type LocalRuntime, startLocal } from '../../scripts/local/runtime';
import { launchBrowser, newPage } from './browser';

export interface E2eSuite {
  /** The runtime, once `beforeAll` has started it. */
  readonly rt: LocalRuntime;
  /** A page in a fresh context, closed after the test, whose problems fail the test (newPage's options: phone size, French, Europe/Paris by default). */
  open(o?: Parameters<typeof newPage>[1]): Promise<Page>;
  /** A JSON request to the runtime, as a student (`token`) or as the local admin. */
  call(method: string, path: string, o?: { token?: string; body?: unknown; admin?: boolean }): Promise<{ status: number; body: any }>;
}

/** Registers the file's hooks; call it at the top level of a test file. */
export function e2eSuite(adminToken: string): E2eSuite {
  let rt: LocalRuntime | undefined;
  let browser: Browser | undefined;
  const pages: { close(): Promise<void>; problems: string[] }[] = [];

  beforeAll(async () => {
    await buildWeb();
    [rt, browser] = await Promise.all([startLocal({ port: 0, adminToken }), launchBrowser()]);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await rt?.stop();
  });

  afterEach(async () => {
    const problems = pages.flatMap((p) => p.problems);
    await Promise.all(pages.splice(0).map((p) => p.close()));
    expect(problems).toEqual([]);
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('e2eSuite: used before beforeAll started the runtime');
    return value;
  };

  return {
    get rt() {
      return started(rt);
    },
    async open(o = {}) {
      const { context, page, problems } = await newPage(started(browser), o);
      pages.push({ close: () => context.close(), problems });
      return page;
    },
    async call(method, path, o = {}) {
      const res = await fetch(`${started(rt).url}${path}`, {
        method,
        headers: {
          ...(o.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...(o.admin ? { authorization: `Bearer ${adminToken}` } : {}),
        },
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}
