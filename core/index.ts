/**
 * The public API of microkit-ts: what plugins, presets and config files use.
 * See docs/ for the guides.
 */
export { defineConfig } from './config/types.js';
export type { MicrokitConfig, MicrokitConfigOutputs } from './config/types.js';
export { definePlugin } from './plugin.js';
export type { MicrokitPlugin } from './plugin.js';
export { Pipeline } from './pipeline.js';
export { corePlugins, createPipeline } from './builtin.js';
export type { PipelineHooks, MicrokitPipeline } from './build-types.js';
export { definePreset, PresetRegistry, presetKernelConfig, presetKernelFiles } from './preset.js';
export type { Preset, ResolvedPreset, KernelFilesOverlay, SyntheticElfFacts, QemuRecipe, UBootRecipe } from './preset.js';
export type { ArchSupport, IommuSupport, IommuDeviceId, VirtualMachineSupport, SdfArchRules } from './arch.js';
export { unsupportedIommu } from './arch.js';
export type {
  BuildContext,
  BuildOptions,
  BuildOutputs,
  BuildResult,
  ImageType,
  Logger,
  SdfSource,
  SdkConfigDir,
  SystemBuild,
} from './build-types.js';
export { runPipeline } from './build.js';
export { MicrokitError, isMicrokitError } from './errors/microkit-error.js';
export type { MicrokitErrorOptions, RelatedLocation } from './errors/microkit-error.js';
export { DependentError, DiagnosticSink, MicrokitErrors, errorsOf, recover, toDiagnostic, renderHuman, resolveSpan } from './diagnostics/index.js';
export type { Diagnostic, DiagnosticOutputOptions, DiagnosticSinkOptions, RelatedSpan, Severity, SourceLines, SourceSpan } from './diagnostics/index.js';
export type { KernelConfig, ArchName, ObjectSizes, AddressSpaceConstants, PlatformMemory, PhysicalRange } from './kernel/config.js';
export * from './sdf/model.js';
export type { SourceLocation } from './sdf/location.js';
export { formatLocation } from './sdf/location.js';
export { SdfSyntax } from './sdf/syntax.js';
export type { SystemDraft, ProtectionDomainDraft, SystemElementParser, PdElementParser, PdAttributeParser, IrqFormParser, IrqCommon } from './sdf/syntax.js';
export type { SdfParseContext, SdfFileAccess } from './sdf/context.js';
export { parseSdf } from './sdf/parse/system.js';
export { attribute, childElements, parseXml } from './sdf/xml.js';
export type { XmlElement, XmlNode, XmlText, XmlAttribute } from './sdf/xml.js';
export { checkAttributes, requireAttribute, parseSdfNumber, parseDecimal, parseBoolAttribute } from './sdf/attributes.js';
export { sdfValueError, sdfMissingAttribute, sdfErrorAt, sdfErrorColon, sdfUnlocatedError } from './sdf/errors.js';
export { VALIDATE_STAGES } from './sdf/validate/system-checks.js';
export type { OutputSink } from './output.js';
export { SpecBuilder } from './capdl/construct/builder.js';
export type { Spec, ObjectTable, NamedObject, CapdlObject, ObjectId, ObjectType } from './capdl/spec.js';
export { checkSystem } from './check.js';
export type { CheckOptions } from './check.js';
export { systemToSdfElement, writeSdf, writeSdfLines, SetVarClaims } from './sdf/write/system.js';
export type { PdWriter, PdSdfParts, SystemWriter, IrqWriter, SdfWriteContext } from './sdf/syntax.js';
