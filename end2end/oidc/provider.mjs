// A real OpenID provider on loopback for the single sign-on HTTP tests
// (server/tests/api/oidc.rs): npm's oidc-provider, pinned in package.json.
// `scripts/test` starts it (scripts/lib.sh, start_oidc) and exports
// TEST_OIDC_ISSUER=http://127.0.0.1:PORT. Never for production use.
//
//   node provider.mjs PORT
//
// The client: id `zi-test`, secret `zi-test-secret`, a confidential client
// registered as a *native* application, so that (RFC 8252) its loopback
// redirect URI http://127.0.0.1/login/oidc/callback is accepted on any port:
// each test server listens on a port of its own.
//
// The accounts: the development sign-in form (`devInteractions`) accepts any
// login with any password; the login decides the account's claims:
//   - a login with an `@` is that e-mail address, verified
//     (`ani@kemen.go.id`; its case is kept, as a provider may send it);
//   - `unverified:ADDRESS` is ADDRESS with `email_verified: false`;
//   - any other login has no e-mail claim at all.
// A test signs in with plain HTTP: GET the authorization URL; on each
// /interaction/UID page it lands on, POST that page's `prompt` back to it:
// `prompt=login&login=…&password=…`, then `prompt=consent` (a native client
// is always asked to confirm).

import Provider from 'oidc-provider';

const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node provider.mjs PORT');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

function claimsOf(login) {
  if (login.startsWith('unverified:')) {
    return { email: login.slice('unverified:'.length), email_verified: false };
  }
  if (login.includes('@')) {
    return { email: login, email_verified: true };
  }
  return {};
}

const configuration = {
  clients: [
    {
      client_id: 'zi-test',
      client_secret: 'zi-test-secret',
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/login/oidc/callback'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
  },
  // The e-mail claims go into the ID token itself, where ZI Tracker reads them.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['zi-test-provider-cookie-key'] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...claimsOf(id) };
      },
    };
  },
};

const provider = new Provider(issuer, configuration);
provider.on('server_error', (ctx, err) => console.error('server_error', err));
provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening at ${issuer}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(0));
}
