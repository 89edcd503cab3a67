// Real Amplify JS v6 against the authflow emulator: what signUp and resetPassword surface when the pool refuses
// them (sign-up off, an email-shaped username beside an email alias, preferred_username beside its alias, a reset
// before the first sign-in). Prints one JSON report: for each case the error's name and message, or "ok".
// Usage: node refusals.mjs <folder where `npm install aws-amplify@6` ran> <endpoint> <cases as JSON>
//   cases: {"<case>": {"userPoolId": ..., "userPoolClientId": ..., "call": "signUp" | "resetPassword", "input": {...}}}
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, endpoint, casesJson] = process.argv.slice(2);
const require = createRequire(join(dir, 'package.json'));
const load = async (name) => import(pathToFileURL(require.resolve(name)).href);
const { Amplify } = await load('aws-amplify');
const auth = await load('aws-amplify/auth');

const report = {};
for (const [name, { userPoolId, userPoolClientId, call, input }] of Object.entries(JSON.parse(casesJson))) {
  Amplify.configure({ Auth: { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint: endpoint } } });
  try {
    await auth[call](input);
    report[name] = 'ok';
  } catch (error) {
    report[name] = { name: error.name, message: error.message };
  }
}
console.log(JSON.stringify(report));
