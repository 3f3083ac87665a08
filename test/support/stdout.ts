import { vi } from 'vitest';

/**
 * What the code under test writes to stdout (Powertools' log lines and EMF metric documents),
 * still passed through to the real stdout. `restore()` ends the capture.
 */
export function captureStdout(): { text: () => string; lines: () => Record<string, unknown>[]; restore: () => void } {
  let out = '';
  const original = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write);
  return {
    text: () => out,
    lines: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    restore: () => spy.mockRestore(),
  };
}

/** The EMF metric documents among JSON log lines. */
export const emfDocuments = (lines: Record<string, unknown>[]): Record<string, unknown>[] => lines.filter((l) => '_aws' in l);

/**
 * The EMF documents among JSON log lines that carry `metric`: what one function counted, apart
 * from what the file's mail pipeline, running meanwhile in the same process, may print.
 */
export const emfWith = (lines: Record<string, unknown>[], metric: string): Record<string, unknown>[] => emfDocuments(lines).filter((doc) => metric in doc);
