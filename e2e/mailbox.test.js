// The watched mailbox as a rep sees it: a person answers an email, the answer arrives in the
// mailbox the server reads (a real IMAP server), and without a reload the rep sees the reply on
// the email, with the person's first words in its timeline (shown as text), and the person
// leaves the open saved search of emails that got no reply.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE_URL, api, apiToken, eventually, launch, newPage, signIn } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Puts a message into the watched mailbox, as a mail server delivering it would (IMAP APPEND). */
function deliver(raw) {
  const [host, port] = process.env.IMAP_ADDR.split(':');
  execFileSync('python3', ['-c', `
import imaplib, sys
box = imaplib.IMAP4(sys.argv[1], int(sys.argv[2]))
box.login(sys.argv[3], 'secret')
box.append('INBOX', None, None, sys.stdin.buffer.read())
box.logout()
`, host, port, process.env.IMAP_USER], { input: Buffer.from(raw) });
}

test('a reply arriving in the mailbox shows live and takes its person out of "no reply"', async () => {
  const token = await apiToken('aiko@example.com');
  const stamp = Date.now();
  const person = (await api('/people', { token, method: 'POST', body: { first_name: 'Robin', last_name: `Mailbox ${stamp}`, email: `robin.${stamp}@prospect.example`, company: 'Prospect' } })).body;
  const subject = `Pipeline review ${stamp}`;
  const created = await api('/emails', { token, method: 'POST', body: { person_id: person.id, subject, body: '<p>Hi {{first_name}}, shall we talk?</p>' } });
  let sent;
  await eventually(async () => {
    sent = (await api(`/emails/${created.body.id}`, { token })).body;
    assert.equal(sent.status, 'delivered');
  });
  const saved = await api('/saved-searches', {
    token,
    method: 'POST',
    body: { name: `No reply ${stamp}`, query: { version: 2, all: [{ type: 'engagement', engagement: 'replied', negate: true }] } },
  });
  assert.equal(saved.status, 201);

  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/search/saved/${saved.body.id}`);
  await signIn(page, 'aiko@example.com');
  const listed = page.locator(`tr[data-person-id="${person.id}"]`);
  await eventually(async () => assert.equal(await listed.count(), 1));

  // Robin answers, from their own mail program (the quoted message below is not theirs).
  deliver([
    `From: Robin Mailbox <${person.email}>`,
    'To: aiko@example.com',
    `Subject: Re: ${subject}`,
    `Message-ID: <reply-${stamp}@prospect.example>`,
    `In-Reply-To: ${sent.message_id}`,
    `References: ${sent.message_id}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Yes <b>please</b>, Thursday works.',
    '',
    `On Mon, Nov 30, 2026 at 9:00 AM Aiko <aiko@example.com> wrote:`,
    '> Hi Robin, shall we talk?',
    '',
  ].join('\r\n'));
  await eventually(async () => assert.equal(await listed.count(), 0), 15_000);

  // The outbox row counts it, and the email's timeline quotes what Robin wrote, as text.
  await page.goto(`${BASE_URL}/emails/delivered`);
  const button = page.locator('tbody tr .cc-subject-button', { hasText: subject });
  await eventually(async () => assert.equal(await button.count(), 1));
  await button.click();
  const dialog = page.getByRole('dialog', { name: 'Email details' });
  await dialog.waitFor();
  const said = dialog.locator('.cc-timeline q.cc-event-detail');
  await eventually(async () => assert.equal(await said.innerText(), 'Yes <b>please</b>, Thursday works.'));
  assert.equal(await dialog.locator('.cc-timeline b').count(), 0, 'the reply is text, not markup');
  await page.context().close();
});
