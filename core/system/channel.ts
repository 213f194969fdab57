/** Channels of the system API. */
import type { SourceLocation } from '../sdf/location.js';
import type { XmlElement } from '../sdf/xml.js';
import { type AutoId, element } from './element.js';
import { type PdArg, pdName } from './protection-domain.js';
import type { ChannelEndOptions, ChannelOptions } from './types.js';

/** A channel between two PDs; its ends' ids (given or picked) are known after the system is written. */
export class Channel {
  /** @internal */
  constructor(
    readonly a: PdArg,
    readonly b: PdArg,
    readonly options: ChannelOptions,
    readonly location: SourceLocation,
    /** @internal */ readonly ids: readonly [AutoId, AutoId],
  ) {}

  /** @internal */
  toElement(): XmlElement {
    const end = (pd: PdArg, o: ChannelEndOptions | undefined, auto: AutoId) =>
      element(
        'end',
        [
          ['pd', pdName(pd)],
          ['id', o?.id ?? auto.id],
          ['notify', o?.notify],
          ['pp', o?.pp],
          ['setvar_id', o?.setvarId],
        ],
        [],
        this.location,
      );
    return element('channel', [], [end(this.a, this.options.a, this.ids[0]), end(this.b, this.options.b, this.ids[1])], this.location);
  }
}
