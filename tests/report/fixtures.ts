/** Object sizes for the report tests (renderReport and writeReport must agree on them). */
import type { ObjectSizes } from '../../core/kernel/config.js';

export const REPORT_SIZES: ObjectSizes = {
  tcb: 11,
  endpoint: 4,
  notification: 6,
  reply: 5,
  smallPage: 12,
  largePage: 21,
  hugePage: 30,
  asidPool: 12,
  vspace: 12,
  pageTable: 12,
  vcpu: 12,
  ioPageTable: 12,
};
