// Sign in with the real Amplify JS v6 against an authflow emulator; print what it saw as one JSON line.
// Usage: AUTHFLOW_AMPLIFY_DIR=<folder where `npm install aws-amplify` ran> node amplify_sign_in.mjs CONFIG.json USERNAME
// CONFIG.json is what `authflow emulator` printed for Amplify.configure; the password comes in AUTHFLOW_PASSWORD.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(join(process.env.AUTHFLOW_AMPLIFY_DIR, 'package.json'));
const { Amplify } = require('aws-amplify');
const { signIn, fetchAuthSession, getCurrentUser } = require('aws-amplify/auth');

Amplify.configure(JSON.parse(readFileSync(process.argv[2], 'utf8')));
const result = await signIn({ username: process.argv[3], password: process.env.AUTHFLOW_PASSWORD });
const session = await fetchAuthSession();
const user = await getCurrentUser();
console.log(JSON.stringify({
  isSignedIn: result.isSignedIn,
  nextStep: result.nextStep.signInStep,
  username: user.username,
  idTokenUsername: session.tokens?.idToken?.payload['cognito:username'],
  idTokenIssuer: session.tokens?.idToken?.payload.iss,
}));
