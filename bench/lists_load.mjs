// bench/lists_load.mjs: the client side of bench/lists.sh. CONNECTIONS
// keep-alive connections each send GET PATH with the cookie, one request
// after the other, for SECONDS (no think time: a closed loop, as wrk does);
// prints "REQUESTS ERRORS REQ_PER_S P50_MS P95_MS" on one line.
//   node bench/lists_load.mjs URL COOKIE PATH CONNECTIONS SECONDS
import http from 'node:http';

const [url, cookie, path, connArg, secArg] = process.argv.slice(2);
const conns = Number(connArg);
const seconds = Number(secArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: conns });
const { hostname, port } = new URL(url);
const times = [];
let errors = 0;

function get() {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = http.get({ hostname, port, path, agent, headers: { Cookie: cookie } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        if (res.statusCode !== 200) errors++;
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        resolve();
      });
    });
    req.on('error', () => {
      errors++;
      resolve();
    });
  });
}

const start = Date.now();
const end = start + seconds * 1000;
async function worker() {
  while (Date.now() < end) await get();
}
await Promise.all(Array.from({ length: conns }, worker));
const elapsed = (Date.now() - start) / 1000;
times.sort((a, b) => a - b);
const at = (p) => times[Math.max(0, Math.min(times.length - 1, Math.round(times.length * p) - 1))] || 0;
console.log(`${times.length} ${errors} ${(times.length / elapsed).toFixed(1)} ${at(0.5).toFixed(2)} ${at(0.95).toFixed(2)}`);
agent.destroy();
