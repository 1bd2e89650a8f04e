// Users and teams in Chromium: an admin adds a user, who opens the invitation link in their own
// browser, sets a password and is signed in; they change their profile and password; the admin
// deactivates them (their open app is signed out) and finds it all in the audit log; a manager
// sees their team and no admin actions, and views a member's emails, tasks and search read-only;
// the admin's tabs move with the arrow keys.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, api, apiToken, eventually, launch, newPage, signIn } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('an invited user sets their password by the link, is deactivated and is in the audit log', async () => {
  const admin = await newPage(browser);
  await admin.goto(`${BASE_URL}/admin/users`);
  await signIn(admin, 'admin@example.com');
  const email = `chika.${Date.now()}@example.com`;
  await admin.getByRole('button', { name: 'Add a user' }).click();
  const form = admin.getByRole('form', { name: 'Add a user' });
  await form.getByLabel('Name').fill('Chika Mori');
  await form.getByLabel('Email').fill('not an address');
  await form.getByRole('button', { name: 'Add and send invitation' }).click();
  // Refused by the server, with the field marked and what was typed kept.
  await eventually(async () => assert.equal(await form.getByLabel('Email').getAttribute('aria-invalid'), 'true'));
  assert.equal(await form.getByLabel('Name').inputValue(), 'Chika Mori');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption('rep');
  await form.getByLabel('Team').selectOption({ label: 'Enterprise Sales' });
  await form.getByLabel('Time zone').fill('Europe/London');
  await form.getByRole('button', { name: 'Add and send invitation' }).click();
  const notice = admin.locator('.cc-invitation');
  await notice.waitFor();
  assert.match(await notice.innerText(), new RegExp(`emailed to ${email.replace('.', '\\.')}`));
  const link = await notice.getByLabel(/Link to set the password/).inputValue();
  assert.ok(link.includes('/invite/'), link);
  const row = admin.locator('table.cc-users-table tbody tr', { hasText: email });
  assert.match(await row.innerText(), /Rep\s+Enterprise Sales\s+Invited/);

  // The invited user, in a browser of their own.
  const user = await newPage(browser);
  await user.goto(link);
  await user.getByText('Welcome, Chika Mori').waitFor();
  await user.getByLabel('New password (at least 10 characters)').fill('short');
  await user.getByLabel('New password again').fill('short');
  await user.getByRole('button', { name: 'Set password and sign in' }).click();
  await user.getByRole('alert').filter({ hasText: '10 characters' }).waitFor();
  await user.getByLabel('New password (at least 10 characters)').fill('chika-password-1');
  await user.getByLabel('New password again').fill('chika-password-1');
  await user.getByRole('button', { name: 'Set password and sign in' }).click();
  await user.getByRole('link', { name: 'Your account: Chika Mori' }).waitFor();
  assert.ok(new URL(user.url()).pathname.startsWith('/emails/'), user.url());

  // Their own account: the profile and the password.
  await user.getByRole('link', { name: 'Your account: Chika Mori' }).click();
  const profile = user.getByRole('form', { name: 'Profile' });
  await profile.getByLabel('Name').fill('Chika Mori-Tanaka');
  await profile.getByRole('button', { name: 'Save profile' }).click();
  await user.getByRole('link', { name: 'Your account: Chika Mori-Tanaka' }).waitFor();
  const password = user.getByRole('form', { name: 'Change password' });
  await password.getByLabel('Current password').fill('wrong password');
  await password.getByLabel('New password (at least 10 characters)').fill('chika-password-2');
  await password.getByLabel('New password again').fill('chika-password-2');
  await password.getByRole('button', { name: 'Change password' }).click();
  await eventually(async () => assert.equal(await password.getByLabel('Current password').getAttribute('aria-invalid'), 'true'));
  await password.getByLabel('Current password').fill('chika-password-1');
  await password.getByRole('button', { name: 'Change password' }).click();
  await password.getByText('Password changed').waitFor();

  // Deactivated by the admin: the user's open app is signed out at once.
  await admin.reload();
  await row.getByRole('button', { name: 'Deactivate “Chika Mori-Tanaka”' }).click();
  await eventually(async () => assert.match(await row.innerText(), /Deactivated/));
  await user.getByRole('link', { name: 'Emails' }).click();
  await user.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  await signIn(user, email, 'chika-password-2');
  await user.getByRole('alert').filter({ hasText: /do not match|deactivated/ }).waitFor();

  // The audit log, filtered to deactivations, names who did it to whom.
  await admin.getByRole('tab', { name: 'Audit log' }).click();
  await admin.getByLabel('Show').selectOption('user_deactivated');
  const entry = admin.locator('table.cc-audit-table tbody tr', { hasText: email });
  await eventually(async () => assert.equal(await entry.count(), 1));
  assert.match(await entry.innerText(), /User deactivated\s+Admin <admin@example\.com>\s+Chika Mori-Tanaka/);
  await admin.context().close();
  await user.context().close();
});

test('a manager sees their team without admin actions, and the tabs follow the arrow keys', async () => {
  const manager = await newPage(browser);
  await manager.goto(BASE_URL);
  await signIn(manager, 'manager@example.com');
  await manager.getByRole('link', { name: 'Team' }).click();
  const rows = manager.locator('table.cc-users-table tbody tr');
  await eventually(async () => assert.ok((await rows.count()) >= 3));
  const text = await manager.locator('table.cc-users-table').innerText();
  assert.match(text, /aiko@example\.com/);
  assert.match(text, /ben@example\.com/);
  assert.doesNotMatch(text, /admin@example\.com/);
  assert.equal(await manager.getByRole('button', { name: /Deactivate/ }).count(), 0);
  assert.equal(await manager.getByRole('tab').count(), 1, 'users only');
  await manager.context().close();

  const admin = await newPage(browser);
  await admin.goto(`${BASE_URL}/admin/users`);
  await signIn(admin, 'admin@example.com');
  const users = admin.getByRole('tab', { name: 'Users' });
  await users.focus();
  await admin.keyboard.press('ArrowRight');
  const teams = admin.getByRole('tab', { name: 'Teams' });
  await eventually(async () => assert.equal(await teams.getAttribute('aria-selected'), 'true'));
  assert.equal(await admin.evaluate(() => document.activeElement?.id), 'cc-admin-tab-teams');
  assert.ok(new URL(admin.url()).pathname.endsWith('/admin/teams'));
  const team = admin.locator('table.cc-teams-table tbody tr', { hasText: 'Enterprise Sales' });
  assert.match(await team.innerText(), /田中 美香/);
  await admin.keyboard.press('End');
  await eventually(async () => assert.equal(await admin.getByRole('tab', { name: 'Audit log' }).getAttribute('aria-selected'), 'true'));
  await admin.context().close();
});

test("a manager views a team member's emails, tasks and search, read-only, and goes back", async () => {
  const token = await apiToken('manager@example.com');
  const ben = (await api('/users', { token })).body.find((u) => u.email === 'ben@example.com');
  const bensEmail = (await api(`/emails?folder=delivered&limit=1&as=${ben.id}`, { token })).body.items[0];
  const bensTask = (await api(`/tasks?view=next7&as=${ben.id}`, { token })).body.items[0]
    ?? (await api(`/tasks?view=overdue&as=${ben.id}`, { token })).body.items[0];
  assert.ok(bensEmail && bensTask, 'the demo gives Ben emails and tasks');

  const manager = await newPage(browser);
  await manager.goto(`${BASE_URL}/emails/delivered`);
  await signIn(manager, 'manager@example.com');
  await manager.getByRole('button', { name: 'New email', exact: true }).waitFor();
  await manager.getByLabel('View as').selectOption({ label: 'Ben Carter' });
  await manager.getByRole('status').filter({ hasText: "You are viewing Ben Carter's emails" }).waitFor();

  // Ben's outbox, with nothing to act with.
  const row = manager.locator(`table.cc-email-table tr[data-email-id="${bensEmail.id}"]`);
  await row.waitFor();
  assert.equal(await manager.getByRole('button', { name: 'New email', exact: true }).count(), 0);
  assert.equal(await manager.locator('table.cc-email-table input[type=checkbox]').count(), 0);
  assert.equal(await row.locator('.cc-row-actions').count(), 0);
  await row.getByRole('button', { name: /^Open email/ }).click();
  const detail = manager.getByRole('dialog');
  await detail.getByText(bensEmail.subject).first().waitFor();
  assert.equal(await detail.getByRole('button', { name: 'Send a follow-up' }).count(), 0);
  await detail.getByRole('button', { name: 'Close' }).click();
  // A reload keeps the view (for this tab), and another's person is a name, not a link.
  await manager.reload();
  await row.waitFor();
  await manager.getByRole('status').filter({ hasText: "You are viewing Ben Carter's emails" }).waitFor();
  assert.equal(await row.locator('a.cc-person[href]').count(), 0);

  // Ben's tasks: read, not worked; "n" makes no task.
  await manager.getByRole('link', { name: 'Tasks' }).click();
  const view = bensTask.due_at && new Date(bensTask.due_at) < new Date() ? 'Overdue' : 'Next 7 days';
  await manager.getByRole('tab', { name: new RegExp(view) }).click();
  await manager.locator(`tr[data-task-id="${bensTask.id}"]`).waitFor();
  assert.equal(await manager.getByRole('button', { name: 'New task' }).count(), 0);
  assert.equal(await manager.locator('.cc-task-table input[type=checkbox]').count(), 0);
  await manager.keyboard.press('n');
  assert.equal(await manager.getByRole('dialog').count(), 0);

  // The search runs over Ben's people.
  const bens = await api('/search', { token, method: 'POST', body: { query: { all: [] }, owner_id: ben.id } });
  await manager.getByRole('link', { name: 'Search' }).click();
  await manager.getByRole('button', { name: 'Search', exact: true }).click();
  await manager.getByText(`${bens.body.total_people} people`).first().waitFor();
  assert.equal(await manager.getByRole('button', { name: 'Save search as' }).count(), 0);

  // Back to the manager's own.
  await manager.getByRole('button', { name: 'Back to my own' }).click();
  await manager.getByRole('link', { name: 'Emails' }).click();
  await manager.getByRole('button', { name: 'New email', exact: true }).waitFor();
  assert.equal(await manager.locator(`table.cc-email-table tr[data-email-id="${bensEmail.id}"]`).count(), 0);
  await manager.context().close();

  // A rep is offered no such choice.
  const rep = await newPage(browser);
  await rep.goto(BASE_URL);
  await signIn(rep, 'aiko@example.com');
  await rep.getByRole('button', { name: 'New email', exact: true }).waitFor();
  assert.equal(await rep.getByLabel('View as').count(), 0);
  await rep.context().close();
});
