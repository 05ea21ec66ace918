// A line-protocol driver of headless Chromium for ClusterPageIT: one JSON command a line on
// stdin, one JSON answer a line on stdout ({"ok":true,"value":...} or {"ok":false,"error":...}).
// The Java test decides what to do and when; this only reaches the browser.
//   {"op":"open","url":U,"cert":{"certPath":..,"keyPath":..,"origin":..}?}
//   {"op":"waitFor","js":EXPR,"timeoutMs":N}   waits until EXPR (in the page) is truthy, answers it
//   {"op":"eval","js":EXPR}                    answers EXPR's value
//   {"op":"screenshot","path":P}
//   {"op":"close"}
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const profile = mkdtempSync(join(tmpdir(), 'shoal-chromium-'));
let context = null;
let page = null;
const consoleLines = [];

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function run(command) {
  switch (command.op) {
    case 'open': {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        headless: true,
        args: ARGS,
        viewport: { width: 1280, height: 900 },
        clientCertificates: command.cert ? [command.cert] : [],
        ignoreHTTPSErrors: !!command.cert,
        // The page forbids eval (CSP); the test's own predicates need it.
        bypassCSP: true,
      });
      page = context.pages()[0] || await context.newPage();
      page.on('console', m => consoleLines.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', e => consoleLines.push(`pageerror: ${e.message}`));
      const response = await page.goto(command.url);
      return response ? response.status() : null;
    }
    case 'waitFor': {
      const handle = await page.waitForFunction(command.js, null, { timeout: command.timeoutMs || 30000 });
      return await handle.jsonValue();
    }
    case 'eval':
      return await page.evaluate(command.js);
    case 'screenshot':
      await page.screenshot({ path: command.path, fullPage: true });
      return command.path;
    case 'console':
      return consoleLines.slice(-50);
    case 'close':
      if (context) await context.close();
      rmSync(profile, { recursive: true, force: true });
      return 'closed';
    default:
      throw new Error(`unknown op ${command.op}`);
  }
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  let answer;
  let command = {};
  try {
    command = JSON.parse(line);
    answer = { ok: true, value: await run(command) };
  } catch (e) {
    answer = { ok: false, error: String(e && e.message || e), console: consoleLines.slice(-20) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
  if (command.op === 'close') break;
}
if (context) await context.close().catch(() => {});
rmSync(profile, { recursive: true, force: true });
