/**
 * The plugin driver: a plugin failing in apply or in any hook is reported with its name and the
 * hook, a plugin's MicrokitError keeps its code and location, a tap of the wrong kind is refused
 * when it is made, and the core's own failures stay internal errors.
 */
import { describe, expect, it } from 'vitest';
import { MicrokitError } from '../../core/errors/microkit-error.js';
import { Pipeline } from '../../core/pipeline.js';
import type { MicrokitPlugin } from '../../core/plugin.js';
import { cli } from '../support/cli.js';
import { helloProject, writeFiles } from '../support/project.js';

/** A project whose config applies the plugin written as `apply(p) { BODY }` (TypeScript; `microkit-ts` is the tool loading it). */
function projectWith(body: string): string {
  const dir = helloProject('mk-driver-');
  writeFiles(dir, {
    'plugins/boom.ts': `
import { definePlugin, MicrokitError } from 'microkit-ts';
export const boom = definePlugin(() => ({ name: 'boom', apply(p: any) { void MicrokitError; ${body} } }))();
`,
    'microkit.config.ts': `
import { boom } from './plugins/boom.js';
export default { system: 'hello.system', board: 'qemu_virt_aarch64', config: 'debug', sdk: 'synthetic', plugins: [boom] };
`,
  });
  return dir;
}

describe('plugin failures name the plugin and the hook', () => {
  it('in apply', async () => {
    const run = await cli(['check'], { cwd: projectWith("throw new Error('boom');") });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "microkit: error: plugin 'boom' failed in hook 'apply': boom\n  error[PLUGIN_FAILED] (plugin boom, hook apply)\nmicrokit: using config microkit.config.ts\n",
    );
  });

  // Every hook, with each kind of tap it takes: sync, promise (throwing and rejecting), callback.
  it.each([
    ['configure', "p.hooks.configure.tapPromise('boom', async () => { throw new Error('boom'); });"],
    ['parse', "p.hooks.parse.tap({ name: 'boom', stage: -10 }, () => { throw new Error('boom'); });"],
    ['validate', "p.hooks.validate.tap('boom', () => { throw new Error('boom'); });"],
    ['allocate', "p.hooks.allocate.tapAsync('boom', (_b: unknown, _c: unknown, cb: (e: Error) => void) => cb(new Error('boom')));"],
    ['emit', "p.hooks.emit.tapPromise('boom', () => { throw new Error('boom'); });"],
    ['done', "p.hooks.done.tap('boom', () => { throw 'boom'; });"],
    ['spec.protectionDomain', "p.spec.protectionDomain.tap('boom', () => { throw new TypeError('boom'); });"],
    ['spec.system', "p.spec.system.tap('boom', () => { throw new RangeError('boom'); });"],
  ])('in %s', async (hook, body) => {
    const run = await cli([], { cwd: projectWith(body) });
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(`microkit: error: plugin 'boom' failed in hook '${hook}': boom`);
    expect(run.stderr).not.toMatch(/internal error|bug in the tool|^\s+at /m);
  });

  it('in an SDF syntax parser it registered', async () => {
    const dir = projectWith("p.sdf.pdAttribute('owner', () => { throw new Error('bad owner'); });");
    writeFiles(dir, { 'hello.system': '<system><protection_domain name="a" owner="me"><program_image path="hello.elf"/></protection_domain></system>' });
    const run = await cli(['check'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe("microkit: error: plugin 'boom' failed in hook 'sdf.pdAttribute:owner': bad owner");
  });

  it("a tap made from within another tap is still the plugin's", async () => {
    const run = await cli(['check'], {
      cwd: projectWith("p.hooks.configure.tap('boom', () => { p.hooks.done.tap('boom/late', () => { throw new Error('late'); }); });"),
    });
    expect(run.stderr.split('\n')[0]).toBe("microkit: error: plugin 'boom' failed in hook 'done': late");
  });

  it('the stack only with MICROKIT_DEBUG', async () => {
    const dir = projectWith("p.hooks.validate.tap('boom', function deepInsideBoom() { throw new Error('boom'); });");
    const quiet = await cli(['check'], { cwd: dir });
    expect(quiet.stderr).not.toMatch(/deepInsideBoom/);
    const debug = await cli(['check'], { cwd: dir, env: { MICROKIT_DEBUG: '1' } });
    expect(debug.stderr.split('\n')[0]).toBe("microkit: error: plugin 'boom' failed in hook 'validate': boom");
    expect(debug.stderr).toMatch(/at deepInsideBoom/);
  });

  it("a plugin's MicrokitError keeps its message, and its location is printed", async () => {
    const run = await cli(['check'], {
      cwd: projectWith(
        "p.hooks.validate.tap('boom', (sys: any) => { throw new MicrokitError('BOOM_RULE', 'Error: hello is not allowed', { location: sys.protectionDomains[0].location }); });",
      ),
    });
    expect(run.code).toBe(1);
    const [first, where] = run.stderr.split('\n');
    expect(first).toBe('Error: hello is not allowed');
    expect(where).toMatch(/^ {2}--> hello\.system:7:5 error\[BOOM_RULE\] \(plugin boom, hook validate\)$/);
  });

  it('a tap of the wrong kind is refused when it is made, naming the plugin', async () => {
    const run = await cli(['check'], { cwd: projectWith("p.hooks.validate.tapPromise('boom', async () => {});") });
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe("microkit: error: plugin 'boom' used tapPromise on hook 'validate', a SyncHook: use tap");
  });
});

describe('the driver on a pipeline', () => {
  const plugin = (apply: MicrokitPlugin['apply']): MicrokitPlugin => ({ name: 'rule', apply });

  it('fills in plugin and hook of a MicrokitError and keeps its code and location', () => {
    const location = { file: 'a.system', line: 3, column: 7 };
    const pipeline = new Pipeline().use(
      plugin((p) =>
        p.hooks.validate.tap('rule', () => {
          throw new MicrokitError('MY_RULE', 'Error: no', { location });
        }),
      ),
    );
    let caught: unknown;
    try {
      pipeline.hooks.validate.call({} as never, {} as never);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MicrokitError);
    expect(caught).toMatchObject({ code: 'MY_RULE', message: 'Error: no', location, plugin: 'rule', hook: 'validate' });
  });

  it('wraps a plain exception as PLUGIN_FAILED with the original as cause', () => {
    const original = new Error('oops');
    const pipeline = new Pipeline().use(
      plugin((p) =>
        p.hooks.validate.tap('rule', () => {
          throw original;
        }),
      ),
    );
    expect(() => pipeline.hooks.validate.call({} as never, {} as never)).toThrow(
      expect.objectContaining({ code: 'PLUGIN_FAILED', plugin: 'rule', hook: 'validate', cause: original }),
    );
  });

  it('refuses tapAsync on a sync spec hook at registration', () => {
    expect(() =>
      new Pipeline().use(plugin((p) => (p.spec.system as unknown as { tapAsync: (n: string, f: () => void) => void }).tapAsync('rule', () => {}))),
    ).toThrow(expect.objectContaining({ code: 'PLUGIN_TAP_KIND', plugin: 'rule', hook: 'spec.system' }));
  });

  it("leaves the core's own taps alone: their exceptions are the tool's bugs", async () => {
    const pipeline = new Pipeline();
    const bug = new Error('bug');
    pipeline.hooks.validate.tap('core/test', () => {
      throw bug;
    });
    expect(() => pipeline.hooks.validate.call({} as never, {} as never)).toThrow(bug);
    const run = await cli(['check', 'x.system', '--board', 'qemu_virt_aarch64', '--config', 'debug'], { cwd: helloProject() });
    expect(run.stderr).not.toMatch(/plugin '/);
  });
});
