// The bare Node baseline: what a team would write in Node instead of God Mode.
//
// `POST /api/tracking/telemetry` reads the body and sends it, as is, to every connected
// WebSocket (npm `ws`, which queues each socket's writes itself); nothing is validated,
// stored, numbered or replayed.  It answers the few routes the benchmarks' load generator and
// receivers use, the way God Mode does, so both are driven by the same code:
//
//     node benchmarks/node_broadcast/server.mjs --port 3000
import http from "node:http";
import { parseArgs } from "node:util";
import { WebSocketServer } from "ws";

const { values } = parseArgs({ options: { port: { type: "string" } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port <= 0) {
  console.error("usage: server.mjs --port PORT");
  process.exit(2);
}

const sockets = new Set();

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/healthz") {
    json(res, 200, { status: "ok" });
  } else if (req.method === "POST" && req.url === "/api/auth/login") {
    req.resume(); // the receivers log in first; anything goes here
    req.on("end", () => json(res, 200, { access_token: "-", token_type: "bearer", expires_in: 3600 }));
  } else if (req.method === "POST" && req.url === "/api/tracking/telemetry") {
    const parts = [];
    req.on("data", (part) => parts.push(part));
    req.on("end", () => {
      const text = Buffer.concat(parts).toString();
      for (const ws of sockets) ws.send(text);
      json(res, 200, { status: "success" });
    });
  } else {
    json(res, 404, { detail: "not here" });
  }
});
server.keepAliveTimeout = 60_000;

const wss = new WebSocketServer({ server, path: "/ws/dashboard", perMessageDeflate: false });
wss.on("connection", (ws) => {
  ws.send("{}"); // the receivers wait for a first message (God Mode's snapshot)
  sockets.add(ws);
  ws.on("close", () => sockets.delete(ws));
  ws.on("error", () => sockets.delete(ws));
});

server.listen(port, "127.0.0.1");
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    for (const ws of sockets) ws.terminate();
    server.close(() => process.exit(0));
  });
}
