// The official TypeScript SDK client's tasks API (MCP 2025-11-25, experimental) against the Lifeboat MCP
// server: client.experimental.tasks.callToolStream makes a task-augmented tools/call, polls tasks/get
// and fetches tasks/result, as a host that keeps long work out of its request timeout does. The script
// prints one JSON document with what it saw; the assertions live in McpTsTasksIT.
//
// usage: node ts-client-tasks.mjs SPEC.json
// SPEC: {"server": {"command": ..., "args": [...], "env": {...}} or {"url": ..., "token": ...},
//        "signalDir": "...",
//        "tasks": [{"label": "...", "tool": "...", "arguments": {...},
//                   "cancel": true,        // optional: tasks/cancel once the task is created
//                   "signal": "name"}]}    // optional: touch signalDir/name once the task is created
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { finish, transportFor } from './transport.mjs';
import { CallToolResultSchema, McpError } from '@modelcontextprotocol/sdk/types.js';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const transport = transportFor(spec.server);
const client = new Client({ name: 'lifeboat-ts-tasks', version: '1.0.0' }, { defaultTaskPollInterval: 500 });
const out = { results: [] };
const error = (e) => ({ code: e instanceof McpError ? e.code : null, message: String(e?.message ?? e) });
try {
  await client.connect(transport);
  out.capabilities = client.getServerCapabilities();
  const { tools } = await client.listTools();
  out.taskSupport = Object.fromEntries(tools.map((t) => [t.name, t.execution?.taskSupport ?? null]));
  for (const t of spec.tasks) {
    const entry = { label: t.label, tool: t.tool, seen: [], progress: [] };
    try {
      const stream = client.experimental.tasks.callToolStream(
        { name: t.tool, arguments: t.arguments ?? {} },
        CallToolResultSchema,
        // the call's progress token stays valid for the task's lifetime (2025-11-25): the SDK keeps
        // this handler after the CreateTaskResult until the task ends
        { task: { ttl: 600000 }, onprogress: (p) => entry.progress.push(p) },
      );
      for await (const m of stream) {
        entry.seen.push(m.type);
        if (m.type === 'taskCreated') {
          entry.created = m.task;
          if (t.signal) writeFileSync(join(spec.signalDir, t.signal), '');
          if (t.cancel) entry.cancelled = await client.experimental.tasks.cancelTask(m.task.taskId);
        } else if (m.type === 'taskStatus') {
          entry.lastStatus = m.task;
        } else if (m.type === 'result') {
          entry.result = m.result;
        } else if (m.type === 'error') {
          entry.error = error(m.error);
        }
      }
      if (entry.created && !entry.result) {
        // a failed or cancelled task: its result is what the call itself would have answered
        entry.result = await client.experimental.tasks.getTaskResult(entry.created.taskId, CallToolResultSchema);
        entry.got = await client.experimental.tasks.getTask(entry.created.taskId);
      }
      if (entry.created && t.cancel) {
        try {
          await client.experimental.tasks.cancelTask(entry.created.taskId);
          entry.cancelAgain = 'accepted';
        } catch (e) {
          entry.cancelAgain = error(e);
        }
      }
    } catch (e) {
      entry.thrown = error(e);
    }
    out.results.push(entry);
  }
  out.listed = (await client.experimental.tasks.listTasks()).tasks;
  try {
    await client.experimental.tasks.getTask('op-unknown');
  } catch (e) {
    out.unknownTask = error(e);
  }
} catch (e) {
  out.fatal = String(e?.stack ?? e);
} finally {
  await finish(out, client);
}
