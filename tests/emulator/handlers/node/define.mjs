// DefineAuthChallenge, async style (ES module): CUSTOM_CHALLENGE until answered right, at most MAX_ATTEMPTS.
export const handler = async (event) => {
  const custom = event.request.session.filter((s) => s.challengeName === "CUSTOM_CHALLENGE");
  const attempts = Number(process.env.MAX_ATTEMPTS ?? 3);
  if (custom.length && custom[custom.length - 1].challengeResult) {
    event.response = { issueTokens: true, failAuthentication: false };
  } else if (custom.length >= attempts || event.request.userNotFound) {
    event.response = { issueTokens: false, failAuthentication: true };
  } else {
    event.response = { challengeName: "CUSTOM_CHALLENGE", issueTokens: false, failAuthentication: false };
  }
  console.log(`node define: ${custom.length} answered, source ${event.triggerSource}`);
  return event;
};
