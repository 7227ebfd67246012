/**
 * Secret values are scrubbed from error messages and log lines whatever their
 * length. Values of 4 characters or more are replaced wherever they occur;
 * 1-3 character values (a short database password, say) would match inside
 * every other word, so they are replaced where they stand alone, and a log
 * line stays valid JSON.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/http-client/redact.js';
import { createLogger } from '../../src/observability/logger.js';

function capture(secrets: string[]) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter((l) => l !== ''));
      done();
    },
  });
  const logger = createLogger({ level: 'info', secrets, destination });
  return { logger, lines };
}

describe('createRedactor', () => {
  it('replaces a 4-character secret wherever it occurs', () => {
    expect(createRedactor(['k3y!'])('401: key k3y! refused (xk3y!x)')).toBe('401: key [redacted] refused (x[redacted]x)');
  });

  it('replaces a 1-3 character secret where it stands alone, not inside other words', () => {
    const redact = createRedactor(['pw', '7']);
    expect(redact('password pw rejected for user 7; pw=pw, 17 tries')).toBe(
      'password [redacted] rejected for user [redacted]; [redacted]=[redacted], 17 tries',
    );
  });

  it('treats a secret with regular-expression characters literally', () => {
    expect(createRedactor(['a.b'])('a.b axb')).toBe('[redacted] axb');
    expect(createRedactor(['(x)+'])('got (x)+ and (x)')).toBe('got [redacted] and (x)');
  });
});

describe('createLogger', () => {
  it('scrubs secrets of 4 and 5 characters from log lines', () => {
    const { logger, lines } = capture(['abcd', 'vwxyz']);
    logger.info({ detail: 'token abcd, key vwxyz' }, 'refused abcd');
    logger.flush();
    expect(lines).toHaveLength(1);
    const line = lines[0] as string;
    expect(line).not.toContain('abcd');
    expect(line).not.toContain('vwxyz');
    expect(JSON.parse(line)).toMatchObject({ msg: 'refused [REDACTED]', detail: 'token [REDACTED], key [REDACTED]' });
  });

  it('scrubs a secret as it appears inside JSON (quotes and backslashes escaped)', () => {
    const { logger, lines } = capture(['se"cr\\et']);
    logger.info(`got se"cr\\et back`);
    logger.flush();
    expect(JSON.parse(lines[0] as string).msg).toBe('got [REDACTED] back');
  });

  it('scrubs 1-3 character secrets where they stand alone and keeps every line valid JSON', () => {
    const { logger, lines } = capture(['pw', '1']);
    logger.info({ attempt: 1, user: 'pw', note: 'pw 1 of 11' }, 'password pw');
    logger.flush();
    const entry = JSON.parse(lines[0] as string);
    expect(entry).toMatchObject({ attempt: 1, user: '[REDACTED]', note: '[REDACTED] [REDACTED] of 11', msg: 'password [REDACTED]' });
    expect(typeof entry.time).toBe('number');
  });
});
