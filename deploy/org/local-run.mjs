// Runs the organisation state machine (statemachine.asl.json, unchanged but
// for its ${FunctionArn} substitution) with aws-local-stepfunctions, every
// Task state bound to the cwlens function served by AWS's Lambda Runtime
// Interface Emulator, and prints the execution's output as JSON.
//
//   node local-run.mjs DEFINITION INVOKE_URL RUN_NAME [INPUT_JSON]
//
// INVOKE_URL is the emulator's
// http://HOST:PORT/2015-03-31/functions/function/invocations.
import { readFile } from 'node:fs/promises';
import { StateMachine } from 'aws-local-stepfunctions';

// aws-local-stepfunctions 3 calls Promise.withResolvers, which Node has
// only from version 22.
if (!Promise.withResolvers) {
  Promise.withResolvers = function withResolvers() {
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}

const [definitionPath, invokeURL, runName, inputJSON = '{}'] = process.argv.slice(2);
if (!definitionPath || !invokeURL || !runName) {
  console.error('usage: node local-run.mjs DEFINITION INVOKE_URL RUN_NAME [INPUT_JSON]');
  process.exit(2);
}
const text = await readFile(definitionPath, 'utf8');
const definition = JSON.parse(text.replaceAll('${FunctionArn}', 'arn:aws:lambda:us-east-1:123456789012:function:cwlens-org'));

// invoke calls the function as Step Functions does for a Task whose
// Resource is the function's ARN: the state's input is the payload, the
// function's result the state's result; a function error becomes the
// state's error, named by its errorType, with the error payload as Cause
// (Step Functions Developer Guide, "Handling errors in Step Functions
// workflows").
//
// The emulator is one execution environment and serves one invocation at a
// time (Lambda would start more environments), so invocations queue here.
let queue = Promise.resolve();
function invoke(input) {
  const call = queue.then(() => invokeOnce(input));
  queue = call.catch(() => {});
  return call;
}

async function invokeOnce(input) {
  const res = await fetch(invokeURL, { method: 'POST', body: JSON.stringify(input) });
  const body = await res.text();
  let out = null;
  try { out = body ? JSON.parse(body) : null; } catch { out = body; }
  const failed = res.headers.get('x-amz-function-error') ||
    (out && typeof out === 'object' && 'errorType' in out && 'errorMessage' in out);
  if (!res.ok || failed) {
    const err = new Error(typeof out === 'string' ? out : JSON.stringify(out));
    err.name = (out && out.errorType) || 'Lambda.Unknown';
    throw err;
  }
  return out;
}

const machine = new StateMachine(definition);
const execution = machine.run(JSON.parse(inputJSON), {
  context: { Execution: { Name: runName, Input: JSON.parse(inputJSON), StartTime: new Date().toISOString() } },
  overrides: {
    taskResourceLocalHandlers: { Plan: invoke, Member: invoke, RecordFailure: invoke, Merge: invoke },
    // Retries wait no time locally; their count and order are unchanged.
    retryIntervalOverrides: { Plan: 0, Member: 0, RecordFailure: 0, Merge: 0 },
  },
});
console.log(JSON.stringify(await execution.result));
