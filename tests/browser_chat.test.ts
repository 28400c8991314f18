// The chat web page in a real browser: headless chromium (driven by
// playwright-core, which brings no browser of its own) opens the page the
// chat server serves, types lines, and a TCP chat client receives them; the
// TCP client's line shows on the page. Leaves a screenshot in
// .test-output/chat.png. Runs where chromium is installed (CI installs
// Debian's), on Node, Bun, and Deno given --allow-all.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import type { BrowserContext, Page } from "playwright-core";
import { detectRuntime } from "../mod.ts";
import { within } from "./_helpers.ts";
import { Proc } from "./_proc.ts";
import { type ChatServer, startChatServer } from "./_chat_server.ts";

/** Flags that run chromium as root on a closed network (playwright adds its own too). */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function findChromium(): string | undefined {
  const given = process.env.CHROMIUM_PATH;
  if (given) return given;
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
}

/**
 * playwright-core probes /proc/sys/fs/binfmt_misc (for WSL) as it loads, which
 * Deno allows only with --allow-all; the suite's Deno run grants less.
 */
function denoLetsPlaywrightLoad(): boolean {
  try {
    existsSync("/proc/sys/fs/binfmt_misc/WSLInterop");
    return true;
  } catch {
    return false;
  }
}

const executablePath = findChromium();
const skip = executablePath === undefined
  ? "no chromium here (apt-get install -y chromium, or set CHROMIUM_PATH); CI installs it"
  : detectRuntime() === "deno" && !denoLetsPlaywrightLoad()
  ? "playwright-core needs --allow-all under Deno (`deno test --allow-all tests/browser_chat.test.ts`)"
  : false;

const outputDir = new URL("../.test-output/", import.meta.url).pathname;

/** The text of every chat line on the page, in order. */
const pageLines = (page: Page): Promise<string[]> =>
  page.locator("#messages li.line").allTextContents();

test(
  "a browser on the chat page chats with a TCP chat client",
  { timeout: 90_000, skip },
  async () => {
    const { chromium } = await import("playwright-core");
    let server: ChatServer | undefined;
    let tcpClient: Proc | undefined;
    let context: BrowserContext | undefined;
    const profile = await mkdtemp(join(tmpdir(), "cellnet-chat-chromium-"));
    try {
      server = await startChatServer();
      tcpClient = new Proc("examples/chat/client.ts", [`127.0.0.1:${server.tcpPort}`]);
      const tcpId = (await server.proc.waitFor(/server accepted: sid(\d+) /, 20_000))[1];

      // A fresh profile directory: playwright's --user-data-dir.
      context = await chromium.launchPersistentContext(profile, {
        executablePath,
        args: CHROMIUM_ARGS,
        headless: true,
        viewport: { width: 800, height: 560 },
        timeout: 30_000,
      });
      const page = context.pages()[0] ?? await context.newPage();
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(`console.error: ${m.text()}`);
      });
      page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));

      const res = await page.goto(`http://127.0.0.1:${server.wsPort}/`);
      assert.equal(res?.status(), 200);
      await page.locator('#status[data-state="connected"]').waitFor({ timeout: 15_000 });
      const pageId =
        (await server.proc.waitFor(new RegExp(`server accepted: sid(?!${tcpId} )(\\d+) `)))[1];
      assert.notEqual(pageId, tcpId);

      // Typed key by key, sent with Enter; the input is focused on load.
      await page.keyboard.type("hello from chromium");
      await page.keyboard.press("Enter");
      await tcpClient.waitFor(new RegExp(`sid${pageId} say: hello from chromium\\n`));
      assert.equal(await page.locator("#line").inputValue(), "", "the input is cleared once sent");

      // Enter on an empty (or blank) line sends nothing; the next line still goes.
      await page.keyboard.press("Enter");
      await page.locator("#line").fill("   ");
      await page.locator("#line").press("Enter");
      await page.locator("#line").fill("  second line, grüße 😀  ");
      await page.locator("#line").press("Enter");
      await tcpClient.waitFor(new RegExp(`sid${pageId} say: second line, grüße 😀\\n`));
      // The server logged any blank line before this one, on the same pipe.
      await server.proc.waitFor(/say: second line, grüße 😀\n/);
      assert.doesNotMatch(server.proc.out, /say: \n/);

      tcpClient.child.stdin!.write("hello from tcp\n");
      const fromTcp = `sid${tcpId} say: hello from tcp`;
      await page.locator("#messages li.line", { hasText: fromTcp }).waitFor({ timeout: 10_000 });
      assert.deepEqual(await pageLines(page), [
        `sid${pageId} say: hello from chromium`,
        `sid${pageId} say: second line, grüße 😀`,
        fromTcp,
      ]);

      await mkdir(outputDir, { recursive: true });
      await page.screenshot({ path: join(outputDir, "chat.png") });
      assert.deepEqual(problems, []);
    } finally {
      await context?.close();
      if (tcpClient) {
        tcpClient.child.stdin!.end();
        await within(tcpClient.exited, 10_000, "tcp client exit").catch(() => tcpClient!.stop());
      }
      await server?.proc.stop();
      await rm(profile, { recursive: true, force: true });
    }
  },
);
