/**
 * A comma-separated list wrapped to a terminal width: the first line starts
 * with `label`, continuation lines are indented to line up under the first
 * item, and an item is never split (a name longer than the width gets a line
 * of its own).
 */
export function wrapList(label: string, items: readonly string[], width = 100): string[] {
  const indent = ' '.repeat(label.length);
  const lines: string[] = [];
  let line = label;
  items.forEach((item, i) => {
    const text = i < items.length - 1 ? `${item},` : item;
    const atStart = line === label || line === indent;
    if (!atStart && line.length + 1 + text.length > width) {
      lines.push(line);
      line = indent;
    }
    line += line === label || line === indent ? text : ` ${text}`;
  });
  lines.push(line);
  return lines;
}
