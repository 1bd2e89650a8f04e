// The watched mailbox as a rep sees it: a person answers an email, the answer arrives in the
// mailbox the server reads (a real IMAP server), and without a reload the rep sees the reply on
// the email, with the person's first words in its timeline (shown as text), and the person
// leaves the open saved search of emails that got no reply. A rep who gets replies in a mailbox
// of their own sets it in Settings: a wrong password is said against its field, and once kept,
// a reply there shows on their email.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE_URL, api, apiToken, eventually, launch, newPage, signIn } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Puts a message into a mailbox (the watched one unless named), as a mail server delivering it
 * would (IMAP APPEND). */
function deliver(raw, user = process.env.IMAP_USER) {
  const [host, port] = process.env.IMAP_ADDR.split(':');
  execFileSync('python3', ['-c', `
import imaplib, sys
box = imaplib.IMAP4(sys.argv[1], int(sys.argv[2]))
box.login(sys.argv[3], 'secret')
box.append('INBOX', None, None, sys.stdin.buffer.read())
box.logout()
`, host, port, user], { input: Buffer.from(raw) });
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

test("a rep's own mailbox: set in Settings, checked by signing in, then read for replies", async () => {
  const stamp = Date.now();
  const mailbox = `ben-${stamp}`;
  const [host, port] = process.env.IMAP_ADDR.split(':');
  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/settings`);
  await signIn(page, 'ben@example.com');
  const form = page.getByRole('form', { name: 'Your mailbox for replies' });
  await form.waitFor();
  await form.getByText('No mailbox is set').waitFor();
  await form.getByLabel('IMAP server').fill(host);
  const tls = form.getByLabel('Encrypted connection (TLS)');
  assert.equal(await tls.isChecked(), true, 'TLS is the default');
  await tls.uncheck();
  assert.equal(await form.getByLabel('Port').inputValue(), '143', 'the port follows TLS');
  await form.getByLabel('Port').fill(port);
  await form.getByLabel('User name').fill(mailbox);
  const password = form.getByLabel('Password (app password)');
  await password.fill('not the password');
  await form.getByRole('button', { name: 'Check and save mailbox' }).click();
  await form.getByRole('alert').filter({ hasText: 'refused this user and password' }).waitFor();
  assert.equal(await password.getAttribute('aria-invalid'), 'true');

  await password.fill('secret');
  await form.getByRole('button', { name: 'Check and save mailbox' }).click();
  await form.getByRole('status').filter({ hasText: 'Signed in to your mailbox' }).waitFor();
  await form.getByText(`Reading ${mailbox}.`).waitFor();
  assert.equal(await password.inputValue(), '', 'the password is not shown again');
  assert.equal(await password.getAttribute('placeholder'), 'Kept: leave empty to keep it');

  // A prospect answers Ben's email; the answer lands in Ben's own mailbox.
  const token = await apiToken('ben@example.com');
  const person = (await api('/people', { token, method: 'POST', body: { first_name: 'Kim', last_name: `Own box ${stamp}`, email: `kim.${stamp}@prospect.example`, company: 'Prospect' } })).body;
  const created = await api('/emails', { token, method: 'POST', body: { person_id: person.id, subject: `Renewal ${stamp}`, body: '<p>Hi {{first_name}}</p>' } });
  let sent;
  await eventually(async () => {
    sent = (await api(`/emails/${created.body.id}`, { token })).body;
    assert.equal(sent.status, 'delivered');
  });
  deliver([
    `From: Kim <${person.email}>`,
    'To: ben@example.com',
    `Subject: Re: Renewal ${stamp}`,
    `Message-ID: <own-box-${stamp}@prospect.example>`,
    `In-Reply-To: ${sent.message_id}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Sounds good, send the quote.',
  ].join('\r\n'), mailbox);
  await eventually(async () => {
    const email = (await api(`/emails/${created.body.id}`, { token })).body;
    assert.equal(email.replies, 1);
  });
  await page.reload();
  await form.getByText('Last read').waitFor();

  await form.getByRole('button', { name: 'Stop reading this mailbox' }).click();
  await form.getByText('No mailbox is set').waitFor();
  assert.equal((await api('/me/mailbox', { token })).body, null);
  await page.context().close();
});
