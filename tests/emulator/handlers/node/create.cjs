// CreateAuthChallenge, callback style (CommonJS): the answer comes from the function's environment.
exports.handler = (event, context, callback) => {
  event.response = {
    publicChallengeParameters: { hint: "the agreed answer" },
    privateChallengeParameters: { answer: process.env.ANSWER },
    challengeMetadata: "NODE_FIXED_ANSWER",
  };
  console.log(`node create for ${event.userName} in ${context.functionName}, answer ${process.env.ANSWER}`);
  callback(null, event);
};
