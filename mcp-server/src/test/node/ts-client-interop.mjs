// The official TypeScript SDK client (what most MCP hosts embed) against the Lifeboat MCP server over
// stdio. Client.callTool validates structuredContent against the tool's outputSchema (cached by
// listTools) whenever structuredContent is present, isError or not; a mismatch throws
// McpError -32602 and the model never sees the tool's own error. This script lists the tools, makes
// the calls named in the spec and prints one JSON document with every outcome on stdout; the
// assertions live in McpTsClientInteropIT. Server log lines go to stderr.
//
// usage: node ts-client-interop.mjs SPEC.json
// SPEC: {"server": {"command": "...", "args": [...], "env": {...}}, "signalDir": "...",
//        (or "server": {"url": "http://127.0.0.1:PORT/mcp", "token": "..."} for Streamable HTTP)
//        "calls": [{"label": "...", "tool": "...", "arguments": {...},
//                   "operationFrom": "label",   // optional: arguments.operation_id from that call's answer
//                   "eachOperationOf": "label", // optional: make the call once per operation that call listed
//                   "tokenFrom": "label",       // optional: arguments.confirm_token from that call's plan
//                   "progress": true,           // optional: send a progress token, reset the timeout on progress
//                   "signal": "name"}, ...],    // optional: touch signalDir/name once the answer is in
//        "elicitation": [{"action": "accept", "content": {...}}, ...]}
//                        // optional: declare form elicitation and answer each elicitation/create with the
//                        // next of these (what the person at the host does); the forms are kept in out.forms.
//                        // {"action": "accept", "typeWhatItAsks": "field"}: the person reads what the form asks
//                        // to type (the last ('...') of its message) and types it into that field
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { finish, transportFor } from './transport.mjs';
import { ElicitRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
// the SDK does not export its package.json; the script runs beside the node_modules it was installed with
const sdkVersion = JSON.parse(
  readFileSync(new URL('./node_modules/@modelcontextprotocol/sdk/package.json', import.meta.url), 'utf8'),
).version;

const transport = transportFor(spec.server);
const answers = spec.elicitation ? [...spec.elicitation] : null;
const client = new Client(
  { name: 'lifeboat-ts-interop', version: '1.0.0' },
  answers ? { capabilities: { elicitation: { form: {} } } } : {},
);
const out = { sdkVersion, tools: [], results: [] };
if (answers) {
  // the person at the host: shown each form, answers it; the model never sees the form or the answer
  out.forms = [];
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    out.forms.push(request.params);
    const answer = answers.shift() ?? { action: 'cancel' };
    if (answer.typeWhatItAsks) {
      // the last ('...') of the message: what to type comes after the plan's own words
      const asked = [...(request.params.message ?? '').matchAll(/\('([^']*)'\)/g)].pop();
      return { action: 'accept', content: { [answer.typeWhatItAsks]: asked ? asked[1] : '' } };
    }
    return answer;
  });
}
try {
  await client.connect(transport);
  out.server = client.getServerVersion();
  // listTools also compiles and caches each tool's outputSchema validator (Ajv): callTool uses them
  const { tools } = await client.listTools();
  out.tools = tools.map((t) => ({ name: t.name, outputSchema: t.outputSchema ?? null }));
  const byLabel = {};
  // a call with eachOperationOf becomes one call per operation a get_operation listing answered
  const expand = (call) =>
    call.eachOperationOf
      ? (byLabel[call.eachOperationOf]?.structuredContent?.operations ?? []).map((o, i) => ({
          ...call,
          label: `${call.label}-${i}`,
          arguments: { ...(call.arguments ?? {}), operation_id: o.operation_id },
        }))
      : [call];
  for (const call of spec.calls) {
    for (const one of expand(call)) {
      await callOne(one);
    }
  }
  async function callOne(call) {
    const entry = { label: call.label, tool: call.tool };
    const args = { ...(call.arguments ?? {}) };
    if (call.operationFrom) {
      args.operation_id = byLabel[call.operationFrom]?.structuredContent?.operation_id;
    }
    if (call.tokenFrom) {
      // what the host does once its user approved the plan it was shown
      args.confirm_token = byLabel[call.tokenFrom]?.structuredContent?.confirmation?.token;
    }
    const options = {};
    if (call.progress) {
      // what a host that keeps long calls alive does: each notification restarts the 60 s timeout
      entry.progress = [];
      options.onprogress = (p) => entry.progress.push(p);
      options.resetTimeoutOnProgress = true;
    }
    try {
      const r = await client.callTool({ name: call.tool, arguments: args }, undefined, options);
      entry.isError = r.isError === true;
      entry.structuredContent = r.structuredContent ?? null;
      entry.text = (r.content ?? [])
        .filter((c) => c.type === 'text')
        .map((c) => c.text)
        .join('\n');
    } catch (e) {
      // what a host gets instead of the result, e.g. -32602 "Structured content does not match ..."
      entry.mcpError = {
        code: e instanceof McpError ? e.code : null,
        message: String(e?.message ?? e),
      };
    }
    out.results.push(entry);
    byLabel[call.label] = entry;
    if (call.signal) {
      writeFileSync(join(spec.signalDir, call.signal), '');
    }
  }
} catch (e) {
  out.fatal = String(e?.stack ?? e);
} finally {
  await finish(out, client);
}
