'use strict';
// ioredis, with its default settings: node ioredis.js HOST PORT [PASSWORD] [--mode M]
// The password goes in the URL, redis://default:PASSWORD@HOST:PORT, the library's usual way.
const Redis = require('ioredis');
const { ReplyError } = require('redis-errors');
const { parseArgs, run } = require('./steps');

const args = parseArgs(process.argv.slice(2));
const url = args.password
  ? `redis://default:${encodeURIComponent(args.password)}@${args.host}:${args.port}`
  : `redis://${args.host}:${args.port}`;
const version = require('ioredis/package.json').version;
console.log(`CLIENT ioredis ${version} ${args.resp3 ? 'protocol=3' : 'defaults'} mode=${args.mode}`);

// lazyConnect only defers the connection to the connect step; ioredis 6 negotiates RESP3 by default anyway.
const options = { lazyConnect: true };
if (args.resp3) options.protocol = 3;
const client = new Redis(url, options);
client.on('error', error => console.log(`EVENT error ${error.message}`));

run({
  connect: () => client.connect(),
  ping: () => client.ping(),
  call: (...command) => client.call(...command),
  pipeline: async commands => {
    const results = await client.pipeline(commands.map(command => ['call', ...command])).exec();
    return results.map(([error, value]) => (error ? { error } : { value }));
  },
  isError: error => error instanceof ReplyError || (error && error.name === 'ReplyError'),
  close: () => client.quit(),
}, args.mode, args.password).then(failures => process.exit(failures ? 1 : 0), error => {
  console.log(`STEP script FAIL ${error.message}`);
  process.exit(1);
});
