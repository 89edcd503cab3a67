// amazon-cognito-identity-js (the library before Amplify v6, still in many apps) against the authflow emulator:
// an SRP sign-in, enableMFA() (SetUserSettings with SMS MFAOptions), getMFAOptions() (GetUser), a sign-in that
// asks for the SMS code (read from the emulator's outbox) and sendMFACode(), then disableMFA(). Prints one JSON
// report of what each call gave.
// Usage: node identity_js_legacy_mfa.mjs <folder where `npm ci` ran in tests/node> <endpoint> <pool id> <client id>
//        <username> <password> <phone number>
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [dir, endpoint, userPoolId, clientId, username, password, phone] = process.argv.slice(2);
const require = createRequire(join(dir, 'package.json'));
const { AuthenticationDetails, CognitoUser, CognitoUserPool } = require('amazon-cognito-identity-js');

const pool = new CognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId, endpoint });
const details = new AuthenticationDetails({ Username: username, Password: password });
const promised = (call) => new Promise((resolve, reject) => call((error, result) => (error ? reject(error) : resolve(result))));

// Resolves with the challenge asked for ('signed in' when none); `answer` answers an SMS challenge.
const signIn = (user, answer) => new Promise((resolve, reject) => {
  const callbacks = {
    onSuccess: () => resolve('signed in'),
    onFailure: reject,
    mfaRequired: async (challengeName) => {
      if (!answer) return resolve(challengeName);
      try {
        user.sendMFACode(await answer(), { onSuccess: () => resolve(`${challengeName} answered`), onFailure: reject });
      } catch (error) { reject(error); }
    },
  };
  user.authenticateUser(details, callbacks);
});

const smsCode = async () => {
  const reply = await fetch(`${endpoint}/_authflow/outbox?to=${encodeURIComponent(phone)}`);
  const { messages } = await reply.json();
  return messages[messages.length - 1].code;
};

const report = {};
const user = new CognitoUser({ Username: username, Pool: pool });
report.firstSignIn = await signIn(user);
report.enableMFA = await promised((done) => user.enableMFA(done));
report.optionsAfterEnable = (await promised((done) => user.getMFAOptions(done))) ?? null;
const again = new CognitoUser({ Username: username, Pool: pool });
report.secondSignIn = await signIn(again, smsCode);
report.disableMFA = await promised((done) => again.disableMFA(done));
report.optionsAfterDisable = (await promised((done) => again.getMFAOptions(done))) ?? null;
report.thirdSignIn = await signIn(new CognitoUser({ Username: username, Pool: pool }));
console.log(JSON.stringify(report));
