// Real Amplify JS v6 against the authflow emulator: sign in (the device is confirmed), fetchDevices,
// rememberDevice, sign out and in again (device SRP), refresh, forgetDevice. Prints one JSON report.
// Usage: node devices.mjs <folder where `npm install aws-amplify@6` ran> <endpoint> <poolId> <clientId> <user> <password>
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, endpoint, userPoolId, userPoolClientId, username, password] = process.argv.slice(2);
const require = createRequire(join(dir, 'package.json'));
const load = async (name) => import(pathToFileURL(require.resolve(name)).href);
// A browser's navigator: Amplify names the device after its user agent (getDeviceName); Node 20 has none.
globalThis.navigator ??= { userAgent: 'authflow node test' };

const { Amplify } = await load('aws-amplify');
const auth = await load('aws-amplify/auth');
Amplify.configure({ Auth: { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint: endpoint } } });

const statuses = (devices) => devices.map((d) => [d.id, d.name, d.attributes['dev:device_remembered_status']]);
const report = {};
report.firstSignIn = (await auth.signIn({ username, password })).nextStep.signInStep;
report.afterSignIn = statuses(await auth.fetchDevices());
await auth.rememberDevice();
report.afterRemember = statuses(await auth.fetchDevices());
await auth.signOut();
report.secondSignIn = (await auth.signIn({ username, password })).nextStep.signInStep;
const session = await auth.fetchAuthSession({ forceRefresh: true });
report.refreshed = Boolean(session.tokens?.accessToken);
await auth.forgetDevice();
report.afterForget = statuses(await auth.fetchDevices());
console.log(JSON.stringify(report));
