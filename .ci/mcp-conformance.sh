#!/usr/bin/env bash
# Runs the official MCP conformance suite (server scenarios) against the built paios's /mcp.
# The suite needs Node 22+, so Node 22 and the suite are installed from npm into a scratch folder.
# The suite cannot send a bearer token, so a small proxy in front of paios adds one and passes every
# other header (Host and Origin included) through untouched. Any failed check fails this script.
set -euo pipefail
cd "$(dirname "$0")/.."

CONFORMANCE_VERSION=0.1.16
SCENARIOS=(server-initialize ping tools-list logging-set-level dns-rebinding-protection)

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

tools="${PAIOS_CONFORMANCE_TOOLS:-$work/tools}"
if [ ! -x "$tools/node_modules/.bin/node" ] || [ ! -f "$tools/node_modules/@modelcontextprotocol/conformance/package.json" ]; then
  mkdir -p "$tools"
  (cd "$tools" && [ -f package.json ] || echo '{"private":true}' >package.json)
  npm install --prefix "$tools" --no-audit --no-fund --no-save --loglevel=error \
    node@22 "@modelcontextprotocol/conformance@$CONFORMANCE_VERSION"
fi
node22="$tools/node_modules/.bin/node"
"$node22" --version

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port="$(free_port)"
proxy_port="$(free_port)"

export NODE_ENV=production LOG_LEVEL=warn HOST=127.0.0.1 PORT="$port" PAIOS_DATA_DIR="$work/data"
export ACCESS_TOKEN_SECRET="conformance-$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
unset DATABASE_URL REDIS_URL SLACK_BOT_TOKEN TELEGRAM_BOT_TOKEN DISCORD_BOT_TOKEN || true
token="$(node bin/paios.js token create --user conformance@localhost.localdomain | tail -n 1)"

node bin/paios.js start >"$work/paios.log" 2>&1 &
pids+=($!)
# It shares two cores with Jest, lint and the type check: allow three minutes to be ready, and stop
# waiting at once if it died.
for _ in $(seq 1 360); do
  curl -fsS "http://127.0.0.1:$port/api/system/health" >/dev/null 2>&1 && break
  kill -0 "${pids[-1]}" 2>/dev/null || break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/api/system/health" >/dev/null || {
  cat "$work/paios.log"
  exit 1
}

TARGET_PORT="$port" PROXY_PORT="$proxy_port" TOKEN="$token" node -e '
const http = require("node:http");
http.createServer((req, res) => {
  const up = http.request({ host: "127.0.0.1", port: Number(process.env.TARGET_PORT), method: req.method, path: req.url,
    headers: { ...req.headers, authorization: `Bearer ${process.env.TOKEN}` } }, (r) => {
    res.writeHead(r.statusCode, r.headers);
    r.pipe(res);
  });
  up.on("error", () => { res.writeHead(502); res.end(); });
  req.pipe(up);
}).listen(Number(process.env.PROXY_PORT), "127.0.0.1");
' &
pids+=($!)
sleep 0.3

# The scenarios are independent: run them side by side to keep CI time down.
scenario_pids=()
for scenario in "${SCENARIOS[@]}"; do
  "$node22" "$tools/node_modules/@modelcontextprotocol/conformance/dist/index.js" server \
    --url "http://localhost:$proxy_port/mcp" --scenario "$scenario" >"$work/$scenario.out" 2>&1 &
  scenario_pids+=($!)
done
failed=0
for i in "${!SCENARIOS[@]}"; do
  if ! wait "${scenario_pids[$i]}"; then
    failed=1
    echo "MCP conformance: scenario ${SCENARIOS[$i]} failed"
  fi
  cat "$work/${SCENARIOS[$i]}.out"
done
if [ "$failed" -ne 0 ]; then
  echo "--- paios log"
  tail -n 50 "$work/paios.log"
  exit 1
fi
echo "MCP conformance: all scenarios passed"
