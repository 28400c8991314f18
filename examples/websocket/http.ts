// examples/websocket/http.ts — plain HTTP beside the upgrade on the same port.
import { gorillaws } from "../../mod.ts";
new gorillaws.Acceptor({
  address: "http://0.0.0.0:8080/ws",
  webSocket: {
    onRequest: (req) => req.path === "/health" ? { status: 200, body: "ok\n" } : { status: 404 },
  },
});
