/** The pieces of the human rendering: spans found in the source, code frames, plugin origin, colour choice. */
import { describe, expect, it } from 'vitest';
import { diagnosticOutputOptions } from '../../core/cli/diagnostics.js';
import { toDiagnostic } from '../../core/diagnostics/from-error.js';
import { renderHuman } from '../../core/diagnostics/render-human.js';
import { resolveSpan } from '../../core/diagnostics/spans.js';
import { MicrokitError } from '../../core/errors/microkit-error.js';
import { genericPresetFor, presetRegistry } from '../../presets/index.js';

const source = ['<system>', '  <memory_region', "      name='buf'", '      size="0x1000" />', '  <map mr="x" vaddr="0x1000"/>', '</system>'];
const lines = () => source;

describe('resolveSpan', () => {
  it('finds an attribute on a later line of a start tag, with either quote', () => {
    expect(resolveSpan({ file: 'f', line: 2, column: 3 }, 'name', source)).toEqual({ file: 'f', line: 3, column: 7, length: 10 });
    expect(resolveSpan({ file: 'f', line: 2, column: 3 }, 'size', source)).toEqual({ file: 'f', line: 4, column: 7, length: 13 });
  });

  it('falls back to the tag, then to a bare position', () => {
    expect(resolveSpan({ file: 'f', line: 5, column: 3 }, 'perms', source)).toEqual({ file: 'f', line: 5, column: 3, length: 4 });
    expect(resolveSpan({ file: 'f', line: 5, column: 3 }, undefined, source)).toEqual({ file: 'f', line: 5, column: 3, length: 4 });
    expect(resolveSpan({ file: 'f', line: 9, column: 1 }, 'x', source)).toEqual({ file: 'f', line: 9, column: 1, length: 0 });
    expect(resolveSpan({ file: 'f', line: 1, column: 1 }, 'x', undefined)).toEqual({ file: 'f', line: 1, column: 1, length: 0 });
  });

  it('does not take an attribute value for an attribute name', () => {
    const tricky = ['<map note="mr=1" mr="x" />'];
    expect(resolveSpan({ file: 'f', line: 1, column: 1 }, 'mr', tricky)).toEqual({ file: 'f', line: 1, column: 18, length: 6 });
  });
});

describe('renderHuman', () => {
  it("keeps upstream's first line, then the place, the frame, the origin, related places and help", () => {
    const e = new MicrokitError('X_TEST', "Error: something on element 'map': f:5:3\nsecond line of upstream", {
      location: { file: 'f', line: 5, column: 3 },
      attribute: 'vaddr',
      label: 'here',
      related: [{ location: { file: 'f', line: 2, column: 3 }, label: 'and there' }],
      help: ['try this'],
      plugin: 'my-plugin',
      hook: 'validate',
    });
    const out = renderHuman(toDiagnostic(e, lines), lines, false);
    expect(out[0]).toBe("Error: something on element 'map': f:5:3");
    expect(out[1]).toBe('second line of upstream');
    expect(out[2]).toBe('  --> f:5:15 error[X_TEST] (plugin my-plugin, hook validate)');
    expect(out).toContain('  > 5 |   <map mr="x" vaddr="0x1000"/>');
    expect(out).toContain('      |               ^^^^^^^^^^^^^^ here');
    expect(out.join('\n')).toContain('  note: and there\n  --> f:2:3');
    expect(out.at(-1)).toBe('  help: try this');
  });

  it('prints a command-line error alone', () => {
    const e = new MicrokitError('CLI_ARGUMENTS', 'microkit: error: nope');
    expect(renderHuman(toDiagnostic(e, lines), lines, false)).toEqual(['microkit: error: nope']);
  });
});

describe('colour choice', () => {
  const env = (vars: Record<string, string>, tty: boolean) => ({
    cwd: '/',
    env: vars,
    stdout: () => {},
    stderr: () => {},
    stderrIsTTY: tty,
    presets: presetRegistry(),
    genericPreset: (arch: 'aarch64' | 'riscv64' | 'x86_64') => genericPresetFor(arch).name,
  });

  it('auto: on a terminal without NO_COLOR only; always and never win', () => {
    expect(diagnosticOutputOptions({}, env({}, true)).color).toBe(true);
    expect(diagnosticOutputOptions({}, env({}, false)).color).toBe(false);
    expect(diagnosticOutputOptions({}, env({ NO_COLOR: '1' }, true)).color).toBe(false);
    expect(diagnosticOutputOptions({ color: 'always' }, env({ NO_COLOR: '1' }, false)).color).toBe(true);
    expect(diagnosticOutputOptions({ color: 'never' }, env({}, true)).color).toBe(false);
    expect(diagnosticOutputOptions({ maxErrors: '3' }, env({}, true)).maxErrors).toBe(3);
  });
});
