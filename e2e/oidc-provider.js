// A real OpenID provider for the tests: the `oidc-provider` package (the certified Node.js
// implementation) on loopback, with its development login page (any password; the login name is
// the user's email). Two clients: Command Center, and another application whose codes Command
// Center must not take. `OIDC_CLOCK_OFFSET` (seconds) runs the provider's clock off by that much,
// so that the ID tokens it signs are already expired when they arrive; `OIDC_ID_TOKEN_AUDIENCE`
// makes it sign ID tokens for that audience instead of the client that asked (a provider that
// mixes up its clients, or a token meant for another application). `OIDC_EMAIL_VERIFIED=false`
// says the email is not verified; `=absent` leaves `email_verified` out of the token.
//
//   OIDC_PORT=9100 OIDC_REDIRECT_URI=http://127.0.0.1:8080/api/v1/auth/oidc/callback node oidc-provider.js
import Provider from 'oidc-provider';

export const CLIENT_ID = 'command-center';
export const CLIENT_SECRET = process.env.OIDC_CLIENT_SECRET ?? 'oidc-test-client-secret';

const offset = Number(process.env.OIDC_CLOCK_OFFSET ?? 0) * 1000;
if (offset) {
  const realNow = Date.now;
  Date.now = () => realNow() + offset;
}

const port = Number(process.env.OIDC_PORT);
const redirect = process.env.OIDC_REDIRECT_URI;
const client = (client_id, client_secret) => ({
  client_id, client_secret, redirect_uris: [redirect],
  grant_types: ['authorization_code'], response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [client(CLIENT_ID, CLIENT_SECRET), client('another-app', 'another-app-secret')],
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  findAccount: async (_ctx, sub) => ({
    accountId: sub,
    claims: async () => {
      const verified = process.env.OIDC_EMAIL_VERIFIED;
      const claims = { sub, email: sub, email_verified: verified !== 'false', name: sub.split('@')[0] };
      if (verified === 'absent') delete claims.email_verified;
      return claims;
    },
  }),
  // With the clock set back, tokens are signed as of then: a minute of life, long gone.
  ttl: { IdToken: offset ? 60 : 600 },
  cookies: { keys: ['oidc-test-cookie-key'] },
});
const audience = process.env.OIDC_ID_TOKEN_AUDIENCE;
if (audience) {
  const issue = provider.IdToken.prototype.issue;
  provider.IdToken.prototype.issue = function issueForAnother(options) {
    const client = this.client;
    this.client = new Proxy(client, {
      get: (target, key) => (key === 'clientId' ? audience : Reflect.get(target, key, target)),
    });
    return issue.call(this, options).finally(() => { this.client = client; });
  };
}

provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${port}`));
