import { describe, expect, it } from 'vitest';
import { mailboxOf } from '../../functions/domain/support-request';

describe('mailboxOf (the per-mailbox support limit)', () => {
  it.each([
    ['zoe@example.org', 'zoe@example.org'],
    ['Zoe@Example.ORG', 'zoe@example.org'],
    ['zoe+support@example.org', 'zoe@example.org'],
    ['zoe+a+b@example.org', 'zoe@example.org'],
    // Gmail ignores dots and serves googlemail.com too (issue 11 point 6).
    ['Jane.Doe+x@gmail.com', 'janedoe@gmail.com'],
    ['j.a.n.e.doe@googlemail.com', 'janedoe@gmail.com'],
    ['janedoe@GoogleMail.com', 'janedoe@gmail.com'],
  ])('%s → %s', (email, mailbox) => {
    expect(mailboxOf(email)).toBe(mailbox);
  });

  it('keeps different mailboxes apart', () => {
    expect(mailboxOf('zoe@example.org')).not.toBe(mailboxOf('zoe@example.com'));
    expect(mailboxOf('zoe.n@example.org')).not.toBe(mailboxOf('zoe@example.org'));
  });
});
