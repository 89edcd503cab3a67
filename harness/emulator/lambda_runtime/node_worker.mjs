// A long-lived Lambda-like runtime for one Node.js handler: one JSON request per line on stdin, one JSON reply per
// line on stdout. Started by harness/emulator/lambda_runtime/worker.py as
//   node node_worker.mjs <handler file> <exported function>
// Request: {"init": true} (load the handler, Lambda's init phase) or
//          {"event": {...}, "requestId": "...", "functionName": "...", "functionArn": "...", "timeoutMs": 3000}
// Reply:   {"ok": true, "result": <the handler's value>, "logs": [lines]}
//       or {"ok": false, "errorType": "...", "errorMessage": "...", "logs": [lines]}
// Like Lambda, the handler may be async (its promise decides) or callback style (handler(event, context, callback),
// context.succeed/fail/done); console output and writes to stdout/stderr during a call are captured as its logs.
import fs from "node:fs";
import readline from "node:readline";
import { pathToFileURL } from "node:url";
import util from "node:util";

const [handlerFile, functionName] = process.argv.slice(2);
const reply = (message) => {
  const data = Buffer.from(JSON.stringify(message) + "\n");
  for (let done = 0; done < data.length; ) {
    try {
      done += fs.writeSync(1, data, done);
    } catch (error) {
      if (error.code !== "EAGAIN") throw error; // a full pipe: the harness is reading, try again
    }
  }
};

let captured = [];
const capture = (text) => {
  for (const line of String(text).replace(/\n$/, "").split("\n")) captured.push(line);
};
const levels = { log: "", info: "", debug: "", trace: "", warn: "WARN ", error: "ERROR " };
for (const [method, prefix] of Object.entries(levels)) {
  console[method] = (...args) => capture(prefix + util.format(...args));
}
process.stdout.write = (chunk, ...rest) => {
  capture(chunk);
  const done = rest.find((arg) => typeof arg === "function");
  if (done) done();
  return true;
};
process.stderr.write = process.stdout.write;

let pending = null; // the current call's settle function, for errors that escape it
const describe = (error) => {
  if (error instanceof Error) return { errorType: error.name || "Error", errorMessage: error.message };
  if (typeof error === "string") return { errorType: "string", errorMessage: error };
  return { errorType: typeof error, errorMessage: util.format(error) };
};
process.on("uncaughtException", (error) => pending && pending(error));
process.on("unhandledRejection", (reason) => {
  const error = reason instanceof Error ? reason : new Error(util.format(reason));
  if (pending) pending(Object.assign(error, { name: "Runtime.UnhandledPromiseRejection" }));
});

let handler = null;
async function load() {
  if (handler) return handler;
  let module;
  try {
    module = await import(pathToFileURL(handlerFile).href);
  } catch (error) {
    throw Object.assign(new Error(`${error.name}: ${error.message}`), { name: "Runtime.ImportModuleError" });
  }
  const found = module[functionName] ?? module.default?.[functionName];
  if (typeof found !== "function") {
    const name = handlerFile.split(/[\\/]/).pop().replace(/\.[^.]+$/, "");
    throw Object.assign(new Error(`${name}.${functionName} is undefined or not exported`), {
      name: "Runtime.HandlerNotFound",
    });
  }
  handler = found;
  return handler;
}

function invoke(fn, request) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error, value) => {
      if (settled) return;
      settled = true;
      pending = null;
      if (error !== null && error !== undefined) reject(error);
      else resolve(value === undefined ? null : value);
    };
    pending = (error) => settle(error);
    const started = Date.now();
    const context = {
      functionName: request.functionName,
      functionVersion: "$LATEST",
      invokedFunctionArn: request.functionArn,
      memoryLimitInMB: "128",
      awsRequestId: request.requestId,
      logGroupName: `/aws/lambda/${request.functionName}`,
      logStreamName: "authflow-emulator",
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, request.timeoutMs - (Date.now() - started)),
      done: (error, value) => settle(error, value),
      succeed: (value) => settle(null, value),
      fail: (error) => settle(error ?? new Error("handled")),
    };
    let returned;
    try {
      returned = fn(request.event, context, (error, value) => settle(error, value));
    } catch (error) {
      settle(error);
      return;
    }
    if (returned && typeof returned.then === "function") {
      returned.then(
        (value) => settle(null, value),
        (error) => settle(error ?? new Error("Promise rejected")),
      );
    } else if (fn.length < 3) {
      // Neither async nor taking a callback: Lambda answers null once the event loop is empty.
      setImmediate(() => settle(null, null));
    }
  });
}

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", async (line) => {
  const request = JSON.parse(line);
  captured = [];
  try {
    const fn = await load();
    if (request.init) {
      reply({ ok: true, result: null, logs: captured }); // the module is loaded: Lambda's init phase
      return;
    }
    const result = await invoke(fn, request);
    let text;
    try {
      text = JSON.stringify(result);
    } catch (error) {
      reply({ ok: false, errorType: "Runtime.MarshalError", errorMessage: error.message, logs: captured });
      return;
    }
    reply({ ok: true, result: text === undefined ? null : JSON.parse(text), logs: captured });
  } catch (error) {
    reply({ ok: false, ...describe(error), logs: captured });
  }
});
lines.on("close", () => process.exit(0));
