/** `<domains>`: the domain list and the schedule (DM1–DM13). */
import { checkAttributes, parseSdfNumber, requireAttribute } from '../attributes.js';
import type { SdfParseContext } from '../context.js';
import { sdfErrorColon, sdfUnlocatedError, sdfValueError } from '../errors.js';
import type { Domain, DomainSchedule, DomainScheduleDuration, DomainScheduleEntry } from '../model.js';
import { attribute, childElements, type XmlElement } from '../xml.js';

interface DeclaredDomain {
  readonly name: string;
  readonly id?: number;
}

export function parseDomains(el: XmlElement, ctx: SdfParseContext): DomainSchedule {
  checkAttributes(el, []);
  if (ctx.kernel.numCores !== 1) {
    throw sdfUnlocatedError('SDF_DOMAINS_ON_SMP', 'Error: The domain scheduler is not supported in multicore builds of seL4', el.location);
  }

  const declared: DeclaredDomain[] = [];
  let scheduleElement: XmlElement | undefined;
  for (const child of childElements(el)) {
    if (child.tag === 'domain') {
      const d = parseDomain(child, ctx);
      const sameName = declared.find((x) => x.name === d.name);
      if (sameName) {
        const existing = sameName.id === undefined ? 'None' : `Some(${sameName.id})`;
        throw sdfValueError(child, `Each <domain>'s name element must be unique found existing domain '${d.name}' with id '${existing}'`);
      }
      const sameId = d.id === undefined ? undefined : declared.find((x) => x.id === d.id);
      if (sameId) {
        throw sdfValueError(child, `Each <domain>'s id element must be unique found existing domain '${sameId.name}' with id '${d.id}'`);
      }
      declared.push(d);
    } else if (child.tag === 'domain_schedule') {
      if (scheduleElement !== undefined) throw sdfValueError(child, 'The <domain_schedule> element can only appear once');
      scheduleElement = child;
    } else {
      throw sdfErrorColon('SDF_INVALID_ELEMENT', `invalid XML element as child of <domains> '${child.tag}'`, child.location);
    }
  }
  if (scheduleElement === undefined) throw sdfValueError(el, 'The <domain_schedule> element must appear once');

  const domains = assignDomainIds(el, declared, ctx.kernel.numDomains);
  return parseSchedule(scheduleElement, domains, ctx, el);
}

function parseDomain(el: XmlElement, ctx: SdfParseContext): DeclaredDomain {
  checkAttributes(el, ['name', 'id']);
  const name = requireAttribute(el, 'name');
  const idText = attribute(el, 'id');
  if (idText === undefined) return { name };
  const id = parseSdfNumber(el, idText);
  if (id >= BigInt(ctx.kernel.numDomains)) {
    throw sdfValueError(el, `domain id ${id} should be less than the configured KernelNumDomains value of ${ctx.kernel.numDomains}`);
  }
  return { name, id: Number(id) };
}

/**
 * Domains without an id get the lowest free one. Upstream walks a HashMap
 * (so the assignment varies between runs) and allows id == NUM_DOMAINS; we
 * assign in document order and stay below NUM_DOMAINS.
 */
function assignDomainIds(el: XmlElement, declared: readonly DeclaredDomain[], numDomains: number): Domain[] {
  const used = new Set(declared.flatMap((d) => (d.id === undefined ? [] : [d.id])));
  return declared.map((d) => {
    if (d.id !== undefined) return { name: d.name, id: d.id };
    let id = 0;
    while (used.has(id)) id++;
    if (id >= numDomains) throw sdfValueError(el, `Number of domains exceeds ${numDomains}`);
    used.add(id);
    return { name: d.name, id };
  });
}

function parseSchedule(el: XmlElement, domains: Domain[], ctx: SdfParseContext, domainsElement: XmlElement): DomainSchedule {
  checkAttributes(el, ['index_shift', 'start_index']);
  const startText = attribute(el, 'start_index');
  const startIndex = startText === undefined ? 0n : parseSdfNumber(el, startText);
  const shiftText = attribute(el, 'index_shift');
  const indexShift = shiftText === undefined ? undefined : parseSdfNumber(el, shiftText);

  const schedule: DomainScheduleEntry[] = [];
  for (const child of childElements(el)) {
    if (child.tag === 'schedule_entry') {
      schedule.push(parseScheduleEntry(child, domains));
    } else if (child.tag === 'schedule_end_marker') {
      checkAttributes(child, []);
      schedule.push({ domain: 0, duration: { type: 'end_marker' } });
    } else {
      throw sdfErrorColon('SDF_INVALID_ELEMENT', `invalid XML element as child of <domain_schedule> '${child.tag}'`, child.location);
    }
  }

  const limit = ctx.kernel.numDomainSchedules;
  const length = BigInt(schedule.length);
  if (length >= limit) {
    throw sdfUnlocatedError(
      'SDF_DOMAIN_SCHEDULE_TOO_LONG',
      `More than configured KernelNumDomainSchedules ${limit} number of <schedule_entry> elements found`,
      el.location,
    );
  }
  if (startIndex >= length) {
    throw sdfValueError(el, `schedule_start_index '${startIndex}' is greater than the length of the schedule '${length}'`);
  }
  if (indexShift !== undefined && indexShift + length >= limit) {
    // Upstream prints the start index where it means the shift; scripts and
    // its own tests match that text, so we keep it (docs/compat.md).
    throw sdfValueError(
      el,
      `schedule_index_shift '${startIndex}' on top of the schedule length '${length}' would exceed than the configured KernelNumDomainSchedules ${limit}`,
    );
  }
  return { domains, schedule, startIndex, indexShift, location: domainsElement.location };
}

function parseScheduleEntry(el: XmlElement, domains: readonly Domain[]): DomainScheduleEntry {
  checkAttributes(el, ['domain', 'duration']);
  const domainName = requireAttribute(el, 'domain');
  const durationText = requireAttribute(el, 'duration');
  const domain = domains.find((d) => d.name === domainName);
  if (domain === undefined) throw sdfValueError(el, `domain '${domainName}' does not exist,`);
  const space = durationText.indexOf(' ');
  if (space < 0) throw sdfValueError(el, `The duration '${durationText}' must contain a value and a unit, e.g. '1000 us'`);
  const value = parseSdfNumber(el, durationText.slice(0, space));
  if (value === 0n) throw sdfValueError(el, `The duration '${durationText}' must be non-zero`);
  const unit = durationText.slice(space + 1);
  let duration: DomainScheduleDuration;
  if (unit === 'us') duration = { type: 'us', value };
  else if (unit === 'ticks') duration = { type: 'ticks', value };
  else throw sdfValueError(el, `The duration '${durationText}' must be in either 'ticks' or 'us'`);
  return { domain: domain.id, duration };
}
