/** examples/plugins/pd-name-style: a plugin rule that reports every offence in one run, through the public API. */
import { describe, expect, it } from 'vitest';
import { checkSystem } from '../../core/check.js';
import { DiagnosticSink, MicrokitErrors } from '../../core/diagnostics/sink.js';
import { pdNameStyle } from '../../examples/plugins/pd-name-style.js';
import { presetKernel, presetPlugins } from '../support/kernel.js';

const text = `<system>
  <protection_domain name="Client" priority="1"><program_image path="c.elf" /></protection_domain>
  <protection_domain name="server" priority="2"><program_image path="s.elf" /></protection_domain>
  <protection_domain name="uartDriver" priority="3"><program_image path="u.elf" /></protection_domain>
</system>`;

const options = (sink: DiagnosticSink | undefined, warnOnly = false, info: string[] = []) => ({
  file: 'names.system',
  kernel: presetKernel('qemu_virt_aarch64', 'debug'),
  plugins: [...presetPlugins('qemu_virt_aarch64'), pdNameStyle({ warnOnly })],
  diagnostics: sink,
  log: { info: (l: string) => void info.push(l), error: () => {} },
});

describe('examples/plugins/pd-name-style', () => {
  it('reports every offending name with a sink, the first without', async () => {
    const all = await checkSystem(text, options(new DiagnosticSink())).catch((e: unknown) => e);
    expect(all).toBeInstanceOf(MicrokitErrors);
    const errors = (all as MicrokitErrors).errors;
    expect(errors.map((e) => e.message)).toEqual([
      "Error: PD name 'Client' is not snake_case @ names.system:2:3",
      "Error: PD name 'uartDriver' is not snake_case @ names.system:4:3",
    ]);
    expect(errors[1].help).toEqual(["call it 'uart_driver'"]);
    await expect(checkSystem(text, options(undefined))).rejects.toThrow("Error: PD name 'Client' is not snake_case @ names.system:2:3");
  });

  it('warns, or fails with --deny-warnings', async () => {
    const info: string[] = [];
    const sink = new DiagnosticSink();
    await checkSystem(text, options(sink, true, info));
    expect(info).toEqual([
      "WARNING: PD name 'Client' is not snake_case @ names.system:2:3",
      "WARNING: PD name 'uartDriver' is not snake_case @ names.system:4:3",
    ]);
    expect(sink.warnings.map((w) => w.code)).toEqual(['PD_NAME_STYLE', 'PD_NAME_STYLE']);
    await expect(checkSystem(text, options(new DiagnosticSink({ denyWarnings: true }), true))).rejects.toBeInstanceOf(MicrokitErrors);
  });
});
