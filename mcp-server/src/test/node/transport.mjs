// The client transport a spec names, shared by the harness scripts: Streamable HTTP with a bearer
// token ({"url": ..., "token": ...}), or the server started over stdio ({"command": ..., "args": [...],
// "env": {...}}) with its log on our stderr.
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export function transportFor(server) {
  return server.url
    ? new StreamableHTTPClientTransport(new URL(server.url), {
        requestInit: { headers: { Authorization: `Bearer ${server.token}` } },
      })
    : new StdioClientTransport({
        command: server.command,
        args: server.args,
        env: server.env,
        stderr: 'inherit',
      });
}

// Ends a script: the client closed, its one JSON document on stdout, exit 2 when it could not talk to
// the server at all.
export async function finish(out, client) {
  await client.close().catch(() => {});
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  process.exitCode = out.fatal ? 2 : 0;
}
