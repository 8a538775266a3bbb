'use strict';
// node-redis (npm "redis"), with its default settings: node node-redis.js HOST PORT [PASSWORD] [--mode M] [--resp3]
// The password goes in the URL, redis://default:PASSWORD@HOST:PORT, the library's usual way.
const { createClient, ErrorReply } = require('redis');
const { parseArgs, run } = require('./steps');

const args = parseArgs(process.argv.slice(2));
const url = args.password
  ? `redis://default:${encodeURIComponent(args.password)}@${args.host}:${args.port}`
  : `redis://${args.host}:${args.port}`;
const options = { url };
if (args.resp3) options.RESP = 3;
const version = require('redis/package.json').version;
console.log(`CLIENT node-redis ${version} ${args.resp3 ? 'RESP=3' : 'defaults'} mode=${args.mode}`);

const client = createClient(options);
client.on('error', error => console.log(`EVENT error ${error.message}`));

function settle(promise) {
  return promise.then(value => ({ value }), error => ({ error }));
}

run({
  connect: () => client.connect(),
  ping: () => client.ping(),
  call: (...command) => client.sendCommand(command),
  // node-redis pipelines the commands sent in one tick into one write.
  pipeline: commands => Promise.all(commands.map(command => settle(client.sendCommand(command)))),
  isError: error => error instanceof ErrorReply,
  close: () => client.destroy(),
}, args.mode, args.password).then(failures => process.exit(failures ? 1 : 0), error => {
  console.log(`STEP script FAIL ${error.message}`);
  process.exit(1);
});
