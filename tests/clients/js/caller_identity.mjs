// Calls STS GetCallerIdentity (and, when asked, the protected GetAccessKeyInfo) with the AWS SDK for
// JavaScript v3, the way a user's Node program would get mfaenv's credentials:
//   node caller_identity.mjs process PROFILE   credential_process in ~/.aws/config (fromProcess)
//   node caller_identity.mjs env               AWS_* variables set by `mfaenv exec` (fromEnv)
//   node caller_identity.mjs chain             the SDK's default chain, as most programs use it (under
//                                              `mfaenv exec --server`: the container endpoint)
// Prints one JSON object on stdout; an SDK error is one line on stderr and exit status 1.
// STS_ENDPOINT is passed to the client explicitly, so the test does not depend on whether this SDK
// version reads AWS_ENDPOINT_URL_STS; NODE_EXTRA_CA_CERTS makes Node trust the emulator's CA.
import { STSClient, GetCallerIdentityCommand, GetAccessKeyInfoCommand } from "@aws-sdk/client-sts";
import { fromProcess } from "@aws-sdk/credential-provider-process";
import { fromEnv } from "@aws-sdk/credential-provider-env";

const [source, profile] = process.argv.slice(2);
if (!["process", "env", "chain"].includes(source) || (source === "process" && !profile)) {
  console.error("usage: node caller_identity.mjs process PROFILE | env | chain");
  process.exit(2);
}

const client = new STSClient({
  region: process.env.AWS_REGION || "us-east-1",
  endpoint: process.env.STS_ENDPOINT,
  maxAttempts: 1,
  // undefined: the SDK's default provider chain.
  credentials: source === "process" ? fromProcess({ profile }) : source === "env" ? fromEnv() : undefined,
});

try {
  const identity = await client.send(new GetCallerIdentityCommand({}));
  const credentials = await client.config.credentials();
  const result = {
    Arn: identity.Arn,
    Account: identity.Account,
    // The key id (not a secret) tells which session was used; the secret and token are never printed.
    AccessKeyId: credentials.accessKeyId,
    HasSessionToken: Boolean(credentials.sessionToken),
    Expiration: credentials.expiration ? credentials.expiration.toISOString() : null,
  };
  if (process.env.PROTECTED_KEY_ID) {
    const info = await client.send(new GetAccessKeyInfoCommand({ AccessKeyId: process.env.PROTECTED_KEY_ID }));
    result.ProtectedCallAccount = info.Account;
  }
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(`${error.name}: ${error.message}`);
  process.exit(1);
} finally {
  client.destroy();
}
