// VerifyAuthChallengeResponse (CommonJS .js, async).
exports.handler = async (event) => {
  event.response = { answerCorrect: event.request.challengeAnswer === event.request.privateChallengeParameters.answer };
  console.log(`node verify: got ${event.request.challengeAnswer}, correct ${event.response.answerCorrect}`);
  return event;
};
