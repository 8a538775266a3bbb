'use strict';
// The steps every Node client script runs: one line per step, "STEP <name> OK" or "STEP <name> FAIL <reason>".
// A client adapter gives: connect(), ping(), call(...args) for one command, pipeline(commands) returning one
// {value} or {error} per command, isError(e) for the library's error-reply type, and close().

const STEP_TIMEOUT_MS = 15000;

function parseArgs(argv) {
  const positional = [];
  let mode = 'ledger';
  let resp3 = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--mode') mode = argv[++i];
    else if (argv[i] === '--resp3') resp3 = true;
    else positional.push(argv[i]);
  }
  return { host: positional[0], port: Number(positional[1]), password: positional[2] || '', mode, resp3 };
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function text(value) {
  return Buffer.isBuffer(value) ? value.toString() : String(value);
}

async function run(client, mode, password) {
  let failures = 0;
  const state = {};
  async function step(name, action) {
    let timer;
    try {
      await Promise.race([action(), new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
      })]);
      console.log(`STEP ${name} OK`);
    } catch (error) {
      failures++;
      const reason = `${error && error.constructor ? error.constructor.name : 'Error'}: ${error && error.message}`;
      console.log(`STEP ${name} FAIL ${reason.replace(/\n/g, ' ')}`);
    } finally {
      clearTimeout(timer);
    }
  }
  async function expectError(expected, ...command) {
    let reply;
    try {
      reply = await client.call(...command);
    } catch (error) {
      check(client.isError(error), `${command.join(' ')}: ${error.constructor.name} is not the library's error reply`);
      check(error.message.includes(expected), `${command.join(' ')}: error '${error.message}' does not say '${expected}'`);
      return;
    }
    throw new Error(`${command.join(' ')} replied ${JSON.stringify(reply)}, not an error`);
  }

  await step('connect', () => client.connect());
  await step('ping', async () => check(text(await client.ping()) === 'PONG', 'PING did not reply PONG'));
  if (mode === 'plain') {
    await step('set-get', async () => {
      check(text(await client.call('SET', 'ledger-client-test', '5')) === 'OK', 'SET did not reply OK');
      check(text(await client.call('GET', 'ledger-client-test')) === '5', 'GET did not return 5');
    });
    await step('pipeline', async () => {
      const replies = await client.pipeline(Array.from({ length: 100 }, () => ['INCRBY', 'ledger-client-test', '1']));
      check(replies.length === 100 && Number(replies[99].value) === 105, `last INCRBY: ${JSON.stringify(replies[99])}`);
    });
    await step('error-wrong-type', () => expectError('WRONGTYPE', 'LPUSH', 'ledger-client-test', 'x'));
    await step('error-arity', () => expectError('wrong number of arguments', 'GET'));
  } else if (mode === 'consortium') {
    const taxIds = ['52998224725', '39053344705', '12345678909'];
    if (password) {
      // With the consortium's secret as the password, the connection is a peer's: INDOUBT is for peers only.
      await step('peer', async () => {
        const reply = await client.call('INDOUBT');
        check(Array.isArray(reply), `INDOUBT replied ${JSON.stringify(reply)}`);
      });
    }
    await step('register', async () => {
      for (const taxId of taxIds) {
        const reply = await client.call('REGISTER', taxId, 'password-' + taxId);
        check(text(reply) === 'OK', `REGISTER ${taxId} replied ${JSON.stringify(reply)}`);
      }
    });
    await step('login', async () => {
      const reply = await client.call('LOGIN', taxIds[0], 'password-' + taxIds[0]);
      check(text(reply) === 'OK', `LOGIN replied ${JSON.stringify(reply)}`);
    });
    await step('allaccounts', async () => {
      const reply = await client.call('ALLACCOUNTS');
      check(Array.isArray(reply) && reply.length > 0, `ALLACCOUNTS replied ${JSON.stringify(reply)}`);
      for (const entry of reply) check(Array.isArray(entry) && entry.length === 3, `entry ${JSON.stringify(entry)}`);
    });
    await step('error-wrong-login', () => expectError('invalid tax id or password', 'LOGIN', taxIds[1], 'not-the-password'));
    await step('error-arity', () => expectError('wrong number of arguments', 'LOGIN', taxIds[1]));
  } else {
    await step('transfer', async () => {
      state.before = Number(await client.call('BALANCE', '2'));
      const reply = await client.call('TRANSFER', '1', '2', '5');
      check(text(reply) === 'OK', `TRANSFER replied ${JSON.stringify(reply)}`);
    });
    await step('balance', async () => {
      check(typeof state.before === 'number', 'no balance before the transfer: the transfer step failed');
      const reply = await client.call('BALANCE', '2');
      check(typeof reply === 'number', `BALANCE replied ${JSON.stringify(reply)}, not an integer`);
      check(reply === state.before + 5, `BALANCE 2 is ${reply}, expected ${state.before} + 5`);
    });
    await step('snapshot', async () => {
      const reply = await client.call('SNAPSHOT');
      const balances = new Map();
      if (Array.isArray(reply)) {
        check(reply.length % 2 === 0, `SNAPSHOT replied ${JSON.stringify(reply)}`);
        for (let i = 0; i < reply.length; i += 2) balances.set(text(reply[i]), reply[i + 1]);
      } else if (reply instanceof Map) {
        for (const [id, balance] of reply) balances.set(text(id), balance);
      } else {
        check(reply !== null && typeof reply === 'object', `SNAPSHOT replied ${JSON.stringify(reply)}`);
        for (const [id, balance] of Object.entries(reply)) balances.set(id, balance);
      }
      let sum = 0;
      for (const balance of balances.values()) {
        check(typeof balance === 'number', `SNAPSHOT balance ${JSON.stringify(balance)} is not an integer`);
        sum += balance;
      }
      const total = await client.call('TOTAL');
      check(sum === total, `SNAPSHOT sums to ${sum}, TOTAL is ${total}`);
      state.ids = [...balances.keys()].sort();
      state.total = total;
    });
    await step('pipeline', async () => {
      check(state.ids && state.ids.length > 1, 'no account ids to transfer between: the snapshot step failed');
      const ids = state.ids;
      const commands = Array.from({ length: 100 },
        (_, i) => ['TRANSFER', ids[i % ids.length], ids[(i + 1) % ids.length], String(i * 37 + 1)]);
      const replies = await client.pipeline(commands);
      check(replies.length === 100, `${replies.length} replies to 100 transfers`);
      for (const reply of replies) {
        if (reply.error) {
          check(client.isError(reply.error) && reply.error.message === 'FAILED insufficient funds',
            `a transfer was refused: ${reply.error.message}`);
        } else {
          check(text(reply.value) === 'OK', `a transfer replied ${JSON.stringify(reply.value)}`);
        }
      }
      const total = await client.call('TOTAL');
      check(total === state.total, `TOTAL moved from ${state.total} to ${total}`);
    });
    await step('error-unknown-account', () => expectError('UNKNOWN_ACCOUNT', 'TRANSFER', '1', 'no-such-account', '5'));
    await step('error-arity', () => expectError('wrong number of arguments', 'TRANSFER', '1', '2'));
  }
  try {
    await Promise.race([client.close(), new Promise(resolve => setTimeout(resolve, 2000))]);
  } catch (ignored) {
    // the steps have been reported
  }
  return failures;
}

module.exports = { parseArgs, run };
