// Handlers that fail in each way Cognito reports differently.
let calls = 0;
export const throws = async () => {
  console.log("about to throw");
  throw new Error("not allowed.");
};
export const callsBackWithError = (event, context, callback) => callback(new Error("refused by callback"));
export const hangs = async () => new Promise(() => {});
export const spins = () => {
  for (;;) {}
};
export const exits = () => process.exit(7);
export const returnsNothing = async () => {};
export const returnsString = async () => "hello";
export const counts = async (event) => {
  calls += 1;
  event.response = { calls };
  return event;
};
